// Who is calling, once authenticated, and the scopes of DESIGN.md §6.
import { Schema } from 'effect';

export const Scopes = ['stock:read', 'stock:reserve', 'stock:write', 'admin'] as const;
export const Scope = Schema.Literal(...Scopes);
export type Scope = typeof Scope.Type;

export interface Principal {
  /** The domain actor recorded in every event this caller causes: `apikey:<name>` or `user:<sub>`. */
  readonly actor: string;
  readonly scopes: ReadonlySet<Scope>;
}

/** `admin` carries every scope. */
export const allows = (principal: Principal, scope: Scope) => principal.scopes.has(scope) || principal.scopes.has('admin');
