// inputs: 
// declarations: Stage, Block, pair, block
// assigned: 
"use strict"; (async function typescript(__nb, {}) { __nb.pair = pair;




;(__nb.Stage = undefined); (function (Stage) {
  const Stem = 0; Stage[Stage["Stem"] = Stem] = "Stem";
  const Body = Stem + 1; Stage[Stage["Body"] = Body] = "Body";
})(__nb.Stage || (__nb.Stage = {}));
;__nb.Block = class Block {
  constructor(  options) {;this.options = options;}
  get width() {
    return this.options.width;
  }
};
function pair(value) {
  return [value, value];
}
;(__nb.block = new __nb.Block({ width: 64 } ));
return {value: (__nb.pair(__nb.block.width ))};

})
