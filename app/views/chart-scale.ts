/** Axis arithmetic for the server-drawn SVG charts (pure). */

/** Tick step and axis maximum: steps of 1, 2 or 5 × 10^k, at most `maxTicks` steps, max ≥ value. */
export function niceScale(max: number, maxTicks = 5): { step: number; top: number; ticks: number[] } {
  if (!(max > 0)) return { step: 1, top: 1, ticks: [0, 1] };
  const rough = max / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  // Counts are whole numbers: a step below 1 would give ticks like 0.5.
  const whole = Math.max(
    1,
    [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!,
  );
  const top = Math.ceil(max / whole) * whole;
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += whole) ticks.push(t);
  return { step: whole, top, ticks };
}
