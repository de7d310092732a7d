// The namespace that prefixes every subject, stream and bucket, so tests and several deployments
// can share one NATS server (DESIGN.md §7).
import { Schema } from 'effect';

/** 1–32 characters of lowercase letters, digits and `_`, starting with a letter. */
export const NamespacePattern = /^[a-z][a-z0-9_]{0,31}$/;

export const Namespace = Schema.String.pipe(
  Schema.pattern(NamespacePattern, {
    message: () => 'a namespace is 1–32 characters of lowercase letters, digits or "_", starting with a letter',
  }),
  Schema.brand('Namespace'),
);
export type Namespace = typeof Namespace.Type;

/** The namespace of a deployment that configures none. */
export const DefaultNamespace: Namespace = Namespace.make('larder');
