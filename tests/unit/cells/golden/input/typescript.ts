interface Options {
  width: number;
}
type Pair<T> = [T, T];
enum Stage {
  Stem,
  Body,
}
class Block {
  constructor(private readonly options: Options) {}
  get width(): number {
    return this.options.width!;
  }
}
function pair<T>(value: T): Pair<T> {
  return [value, value];
}
const block = new Block({ width: 64 } satisfies Options);
pair(block.width as number);
