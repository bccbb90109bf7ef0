import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { inflateRawSync } from "node:zlib";
import { crc32, zip } from "../../src/bundle/zip.ts";

/** Python's zipfile reads the archive: an implementation we did not write. */
function inspect(
  archive: Buffer,
): { name: string; date: number[]; mode: number; extra: number; crc: number; size: number; data: string }[] {
  const dir = mkdtempSync(join(tmpdir(), "sluice-zip-"));
  try {
    const file = join(dir, "a.zip");
    writeFileSync(file, archive);
    const script = [
      "import json, sys, zipfile",
      "z = zipfile.ZipFile(sys.argv[1])",
      "assert z.testzip() is None",
      "print(json.dumps([{'name': i.filename, 'date': list(i.date_time), 'mode': i.external_attr >> 16, 'extra': len(i.extra), 'crc': i.CRC, 'size': i.file_size, 'data': z.read(i).decode('utf-8')} for i in z.infolist()]))",
    ].join("\n");
    return JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("reproducible zip", () => {
  const entries = [
    { path: "index.mjs.map", data: Buffer.from('{"version":3}') },
    {
      path: "index.mjs",
      data: Buffer.from("export const handler = async () => 'x'.repeat(100);\n".repeat(50)),
    },
    { path: "lib/é.txt", data: Buffer.from("") },
  ];

  test("writes entries sorted by name, dated 1980-01-01, mode 0644, with no extra fields", () => {
    const files = inspect(zip(entries));
    assert.deepEqual(
      files.map((f) => f.name),
      ["index.mjs", "index.mjs.map", "lib/é.txt"],
    );
    for (const f of files) {
      assert.deepEqual(f.date, [1980, 1, 1, 0, 0, 0]);
      assert.equal(f.mode, 0o100644);
      assert.equal(f.extra, 0);
    }
    assert.equal(files[0]?.data, entries[1]?.data.toString());
    assert.equal(files[0]?.crc, crc32(entries[1]?.data ?? Buffer.alloc(0)));
  });

  test("gives the same bytes whatever the input order or the clock", () => {
    const a = zip(entries);
    const b = zip([...entries].reverse());
    assert.ok(a.equals(b));
  });

  test("deflates what compresses and stores what does not", () => {
    const archive = zip(entries);
    const bundle = entries[1]?.data ?? Buffer.alloc(0);
    assert.ok(archive.length < bundle.length, "the repetitive bundle is compressed");
    // The first local header is index.mjs: method 8 at offset 8, data after the 30-byte header and name.
    assert.equal(archive.readUInt16LE(8), 8);
    const compressed = archive.readUInt32LE(18);
    const body = archive.subarray(30 + "index.mjs".length, 30 + "index.mjs".length + compressed);
    assert.ok(inflateRawSync(body).equals(bundle));
  });

  test("computes CRC-32 as zip defines it", () => {
    assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
  });

  test("refuses two entries with one name", () => {
    const map = { path: "index.mjs.map", data: Buffer.from("{}") };
    assert.throws(() => zip([map, map]), /duplicate entry index\.mjs\.map/);
  });
});
