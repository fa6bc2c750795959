import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthStack } from './synth-stack.js';

/**
 * The synthesized template as outside tools judge it: cdk-nag's
 * AwsSolutions pack (run by CDK's policy validation during synth) and
 * cfn-lint (a Python tool; reported skipped where it is not installed).
 */
interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: {
      ruleName: string;
      severity: string;
      violatingConstructs: { constructPath: string }[];
    }[];
  }[];
}

const outdir = mkdtempSync(path.join(tmpdir(), 'narrowgate-synth-'));
let synthError: unknown;

beforeAll(() => {
  try {
    synthStack({ outdir, nag: true });
  } catch (error) {
    // A failing validation stops the synth; the report below says why.
    synthError = error;
  }
}, 120_000);

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing that is not acknowledged with a reason', () => {
    const reportPath = path.join(outdir, 'validation-report.json');
    const report = existsSync(reportPath)
      ? (JSON.parse(readFileSync(reportPath, 'utf8')) as ValidationReport)
      : { pluginReports: [] };
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((v) =>
        v.violatingConstructs.map((c) => `${v.severity} ${v.ruleName} at ${c.constructPath}`),
      ),
    );

    expect(findings).toEqual([]);
    expect(synthError).toBeUndefined();
    expect(report.pluginReports.every((plugin) => plugin.conclusion === 'success')).toBe(true);
  });
});

describe('cfn-lint', () => {
  it('accepts the template', (context) => {
    const template = path.join(outdir, 'Narrowgate.template.json');
    // W3005: CDK makes each function depend on its role explicitly as well
    // as through `Role`; redundant, harmless, and not ours to change.
    const args = ['--format', 'parseable', '--ignore-checks', 'W3005', '--', template];
    const run = spawnSync('cfn-lint', args, {
      encoding: 'utf8',
    });
    if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      context.skip('cfn-lint is not installed (pip install cfn-lint); the template was not linted');
    }

    expect(run.error).toBeUndefined();
    expect(run.stdout.trim().split('\n').filter(Boolean)).toEqual([]);
    expect(run.status).toBe(0);
  }, 60_000);
});
