// inputs: counter
// outputs: bump, counter
"use strict"; (async function assigns_input({counter}) {
counter = counter + 1;
function bump(step) {
  const counter = step;
  return counter;
}

return {value: undefined, outputs: {bump, counter}};
})
