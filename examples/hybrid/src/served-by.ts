/**
 * Who runs this code: `sluice serve` sets `SLUICE_FLEET` to the fleet's name in the environment of
 * every function it serves; Lambda (and `sluice dev`'s Lambda emulation) never does.
 */
export function servedBy(): string {
  const fleet = process.env.SLUICE_FLEET;
  return fleet ? `fleet ${fleet}` : "lambda";
}
