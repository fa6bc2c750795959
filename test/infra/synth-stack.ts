import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NarrowgateStack } from '../../infra/narrowgate-stack.js';
import { readStackConfig } from '../../infra/stack-config.js';

export interface SynthOptions {
  /** CDK context flags, as `-c key=value` would give them. */
  readonly context?: Record<string, unknown>;
  /** Bundle the functions with esbuild. @default false */
  readonly bundle?: boolean;
  readonly outdir?: string;
  /** Register cdk-nag's AwsSolutions pack, as `infra/app.ts` does. @default false */
  readonly nag?: boolean;
}

export interface Synthesized {
  readonly app: App;
  readonly stack: NarrowgateStack;
  readonly template: Template;
}

/**
 * The stack as `infra/app.ts` builds it, in an app of its own. Bundling is
 * skipped unless asked for: template tests do not need the code, and the
 * entry files only have to exist.
 */
export function synthStack(options: SynthOptions = {}): Synthesized {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const config = readStackConfig((key) => app.node.tryGetContext(key));
  const stack = new NarrowgateStack(app, 'Narrowgate', { config });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, template: Template.fromStack(stack) };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** Logical id → resource, for resources of one type. */
export function resourcesOfType(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The one logical id whose id starts with `prefix`; fails loudly otherwise. */
export function logicalIdStartingWith(resources: Resources, prefix: string): string {
  const ids = Object.keys(resources).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${prefix}*, found ${ids.join(', ')}`);
  return ids[0] as string;
}
