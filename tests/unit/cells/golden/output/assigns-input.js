// inputs: 
// declarations: bump
// assigned: counter
"use strict"; (async function assigns_input(__nb, {}) { __nb.bump = bump;
__nb.counter = __nb.counter + 1;
function bump(step) {
  const counter = step;
  return counter;
}

return {value: undefined};
})
