/**
 * A small, honest timer: a warm-up, then several timed runs of a fixed
 * number of operations each. Reports the median rate and the spread over
 * runs, so a figure comes with how far to trust it.
 */
export interface Measurement {
  readonly name: string;
  /** Median operations per second over the runs. */
  readonly opsPerSecond: number;
  /** Median microseconds per operation. */
  readonly microsPerOp: number;
  /** Half the range of the runs' rates, as a share of the median. */
  readonly spread: number;
  readonly runs: number;
  readonly operationsPerRun: number;
}

export interface MeasureOptions {
  readonly operations: number;
  readonly runs: number;
  readonly warmup?: number;
}

/** Times `operation`, called with the index of the call (for distinct inputs). */
export async function measure(
  name: string,
  operation: (index: number) => unknown,
  options: MeasureOptions,
): Promise<Measurement> {
  let index = 0;
  for (let i = 0; i < (options.warmup ?? Math.ceil(options.operations / 5)); i++) {
    await operation(index++);
  }

  const rates: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < options.operations; i++) await operation(index++);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(options.operations / seconds);
  }

  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] ?? 0;
  const spread = ((rates.at(-1) ?? 0) - (rates[0] ?? 0)) / 2 / median;
  return {
    name,
    opsPerSecond: median,
    microsPerOp: 1e6 / median,
    spread,
    runs: options.runs,
    operationsPerRun: options.operations,
  };
}
