/** Display helpers: durations, percentages from bigints, short hashes. */

/** "2d 3h", "5m 10s": the two largest units of a span in seconds. */
export function duration(seconds: number): string {
  if (seconds <= 0) return '0s';
  const units: [string, number][] = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  const parts: string[] = [];
  let rest = Math.floor(seconds);
  for (const [u, n] of units) {
    if (rest >= n || (parts.length > 0 && parts.length < 2)) {
      parts.push(`${Math.floor(rest / n)}${u}`);
      rest %= n;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ') || '0s';
}

/** part / whole as a percentage with two decimals, "–" when whole is 0. */
export function percent(part: bigint, whole: bigint): string {
  if (whole <= 0n) return '–';
  const bp = (part * 10000n) / whole;
  return `${bp / 100n}.${(bp % 100n).toString().padStart(2, '0')}%`;
}

/** A decimal string rate ("0.050000000000000000") as a percentage ("5%"). */
export function ratePercent(rate: string): string {
  if (!rate) return '–';
  const n = Number(rate) * 100;
  return Number.isFinite(n) ? `${Number(n.toFixed(2))}%` : rate;
}

export function short(text: string, head = 10, tail = 6): string {
  return text.length <= head + tail + 1 ? text : `${text.slice(0, head)}…${text.slice(-tail)}`;
}

/** Unix seconds of an RFC 3339 block time. */
export function unixSeconds(rfc3339: string | undefined): number | undefined {
  if (!rfc3339) return undefined;
  const ms = Date.parse(rfc3339);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export function timeText(unix: bigint | number): string {
  const n = Number(unix);
  if (n <= 0) return '–';
  return new Date(n * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
