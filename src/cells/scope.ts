/**
 * The notebook's variables: one store per page, in which each name belongs to the cell that declares
 * it. Compiled cells read and write it through {@link NotebookScope.view} (`__nb.x`), so a closure made
 * in one cell sees what a later cell assigns (live bindings, as in a Jupyter kernel's globals).
 */
export class NotebookScope {
  private readonly values = new Map<string, unknown>();
  private readonly owners = new Map<string, { cell: string; constant: boolean }>();

  has(name: string): boolean {
    return this.values.has(name);
  }

  get(name: string): unknown {
    return this.values.get(name);
  }

  /** The names that have a value now. */
  names(): string[] {
    return [...this.values.keys()];
  }

  /**
   * Before a cell runs: forgets everything it declared on its last run (a name it no longer declares
   * leaves the notebook), then makes it the owner of what it declares now.
   */
  claim(cell: string, names: readonly string[], constants: readonly string[] = []): void {
    for (const [name, owner] of this.owners) {
      if (owner.cell !== cell) continue;
      this.owners.delete(name);
      this.values.delete(name);
    }
    for (const name of names) {
      this.owners.set(name, { cell, constant: constants.includes(name) });
      this.values.delete(name);
    }
  }

  /** Forgets every variable (Restart, or a change of backend). */
  clear(): void {
    this.values.clear();
    this.owners.clear();
  }

  /**
   * The scope object a cell's compiled code uses: reading a name that has no value throws
   * `ReferenceError: x is not defined`, as does assigning a name no cell declares; assigning another
   * cell's `const` throws a TypeError that names that cell.
   */
  view(cell: string): Record<string, unknown> {
    const { values, owners } = this;
    return new Proxy(Object.create(null) as Record<string, unknown>, {
      get(_target, name) {
        if (typeof name !== 'string') return undefined;
        if (!values.has(name)) throw new ReferenceError(`${name} is not defined`);
        return values.get(name);
      },
      set(_target, name, value) {
        if (typeof name !== 'string') return false;
        const owner = owners.get(name);
        if (!owner && !values.has(name))
          throw new ReferenceError(`${name} is not defined (no cell declares it: add let ${name} to one)`);
        if (owner?.constant && owner.cell !== cell)
          throw new TypeError(
            `Assignment to constant variable ${name} (declared with const in cell “${owner.cell}”)`,
          );
        values.set(name, value);
        return true;
      },
      has(_target, name) {
        return typeof name === 'string' && values.has(name);
      },
    });
  }
}
