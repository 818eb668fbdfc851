// inputs: 
// outputs: Stage, Block, pair, block
"use strict"; (async function typescript({}) {




var Stage; (function (Stage) {
  const Stem = 0; Stage[Stage["Stem"] = Stem] = "Stem";
  const Body = Stem + 1; Stage[Stage["Body"] = Body] = "Body";
})(Stage || (Stage = {}));
class Block {
  constructor(  options) {;this.options = options;}
  get width() {
    return this.options.width;
  }
}
function pair(value) {
  return [value, value];
}
const block = new Block({ width: 64 } );
return {value: (pair(block.width )), outputs: {Stage, Block, pair, block}};

})
