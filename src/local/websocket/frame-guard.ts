/**
 * Follows the frames a client sends, reading only their headers, to enforce API Gateway's 32 KB
 * frame limit: the `ws` library bounds whole messages, not single frames. Fed before `ws` parses
 * the same bytes, so an oversized frame is caught before its message is dispatched.
 */
export class FrameGuard {
  private readonly header = Buffer.alloc(14);
  private headerBytes = 0;
  private remaining = 0;

  constructor(private readonly limit: number) {}

  /** True once a frame over the limit starts. */
  feed(chunk: Buffer): boolean {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const skip = Math.min(this.remaining, chunk.length - offset);
        this.remaining -= skip;
        offset += skip;
        continue;
      }
      this.header[this.headerBytes++] = chunk[offset++] as number;
      const needed = this.headerLength();
      if (needed === undefined || this.headerBytes < needed) continue;
      const length = this.payloadLength();
      this.headerBytes = 0;
      if (length > this.limit) return true;
      this.remaining = length;
    }
    return false;
  }

  private headerLength(): number | undefined {
    if (this.headerBytes < 2) return undefined;
    const second = this.header[1] as number;
    const len7 = second & 0x7f;
    const mask = second & 0x80 ? 4 : 0;
    return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + mask;
  }

  private payloadLength(): number {
    const len7 = (this.header[1] as number) & 0x7f;
    if (len7 === 126) return this.header.readUInt16BE(2);
    if (len7 === 127) return Number(this.header.readBigUInt64BE(2));
    return len7;
  }
}
