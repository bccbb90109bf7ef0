const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// Every request asks for its time and the text changes once a second: keep the last one.
let cachedSecond = Number.NaN;
let cachedText = "";

/** API Gateway's request time, `12/Mar/2020:19:03:58 +0000` (CLF, UTC). */
export function requestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    cachedText = format(new Date(second * 1000));
    cachedSecond = second;
  }
  return cachedText;
}

function format(d: Date): string {
  return (
    `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
