import type * as TF from '@tensorflow/tfjs';

/** The tensors and variables one run of a cell created, disposed when the cell runs again or on Restart. */
export interface Allocation {
  tensors: TF.Tensor[];
  variables: TF.Variable[];
}

interface ScopeState {
  track: TF.Tensor[];
}
interface EngineInternals {
  state: { activeScope: ScopeState | null; scopeStack: ScopeState[] };
  registeredVariables: Record<string, TF.Variable>;
  startScope(name?: string): void;
  endScope(result?: unknown): void;
}

/**
 * Starts recording what a cell creates; the returned function stops and returns the allocation.
 * A TF.js engine scope sees every tensor made while it is open (the cell is async, but cells run one
 * at a time, so nothing else allocates meanwhile); variables (model weights) are found by diffing the
 * engine's registry, since scopes do not track them.
 */
export function trackAllocations(tf: typeof TF): () => Allocation {
  const engine = tf.engine() as unknown as EngineInternals;
  const variablesBefore = new Set(Object.keys(engine.registeredVariables));
  engine.startScope('reslab-cell');
  const scope = engine.state.activeScope!;
  return () => {
    const tensors = [...scope.track];
    // Keep everything the cell made alive past the scope: its variables may hold any of it.
    for (const tensor of tensors) if (!tensor.isDisposed) tf.keep(tensor);
    // A cell stopped mid-`tidy` could leave inner scopes open; close them down to ours.
    while (engine.state.scopeStack.includes(scope)) engine.endScope();
    const variables = Object.entries(engine.registeredVariables)
      .filter(([name]) => !variablesBefore.has(name))
      .map(([, variable]) => variable);
    return { tensors, variables };
  };
}

/** Disposes what a run created (already-disposed tensors are skipped). */
export function releaseAllocation(allocation: Allocation): void {
  for (const variable of allocation.variables) if (!variable.isDisposed) variable.dispose();
  for (const tensor of allocation.tensors) if (!tensor.isDisposed) tensor.dispose();
}
