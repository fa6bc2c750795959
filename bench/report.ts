import type { ColdStart } from './cold-start.js';
import type { LoadResult } from './gateway-load.js';
import type { Measurement } from './measure.js';
import type { MemoryResult } from './memory.js';

export interface Report {
  quick: boolean;
  node: string;
  rows: (Measurement & { ratio: number; against: string })[];
  load: LoadResult[];
  bundles?: { name: string; bytes: number }[];
  coldStarts: ColdStart[];
  memory?: MemoryResult;
}

const pct = (share: number) => `±${(share * 100).toFixed(1)}%`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The report as Markdown tables, ready to paste into the README. */
export function formatReport(report: Report): string {
  const parts: string[] = [
    `narrowgate benchmarks (${report.quick ? 'quick' : 'full'} run, Node ${report.node})`,
    '',
  ];

  parts.push(
    table(
      ['measurement', 'ops/s', 'µs/op', 'spread', 'ratio', 'ratio against'],
      report.rows.map((r) => [
        r.name,
        Math.round(r.opsPerSecond).toLocaleString('en'),
        r.microsPerOp.toFixed(1),
        pct(r.spread),
        `${r.ratio.toFixed(2)}×`,
        r.against,
      ]),
    ),
    '',
  );

  const open = report.load.find((l) => l.name.startsWith('unsecured'));
  parts.push(
    table(
      [
        'local gateway, 10 connections',
        'req/s',
        'p50 ms',
        'p99 ms',
        'non-2xx',
        'share of unsecured',
      ],
      report.load.map((l) => [
        l.name,
        Math.round(l.requestsPerSecond).toLocaleString('en'),
        String(l.p50Ms),
        String(l.p99Ms),
        String(l.errors),
        open ? `${((l.requestsPerSecond / open.requestsPerSecond) * 100).toFixed(0)}%` : '',
      ]),
    ),
    '',
  );

  const sizes = new Map((report.bundles ?? []).map((b) => [b.name, b.bytes]));
  parts.push(
    table(
      ['bundle', 'minified KB', 'load ms', 'first answer ms', 'spread', 'process ms', 'answer'],
      [...sizes.keys()].map((name) => {
        const cold = report.coldStarts.find((c) => c.name === name);
        return [
          name,
          ((sizes.get(name) ?? 0) / 1024).toFixed(1),
          cold ? cold.loadMs.toFixed(1) : 'not on a request path',
          cold ? cold.firstAnswerMs.toFixed(1) : '',
          cold ? pct(cold.spread) : '',
          cold ? cold.processMs.toFixed(0) : '',
          cold?.outcome ?? '',
        ];
      }),
    ),
    '',
  );

  if (report.memory) {
    const m = report.memory;
    const note = m.collected ? 'after a full GC' : 'without --expose-gc: garbage included';
    parts.push(
      table(
        [`memory, authorizer and exchange (${note})`, 'tokens through', 'heap MiB', 'RSS MiB'],
        m.checkpoints.map((c) => [
          '',
          c.tokens.toLocaleString('en'),
          String(c.heapMiB),
          String(c.rssMiB),
        ]),
      ),
      '',
    );
  }
  return `${parts.join('\n')}\n`;
}
