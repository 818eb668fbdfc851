// inputs: budget
// outputs: epochs, size, rest, first, third, total
"use strict"; (async function destructuring({budget}) {
const { epochs, batchSize: size = 32, ...rest } = budget;
const [first, , third = 3] = [1, 2];
let total = 0;
for (const value of [first, third]) total += value;

return {value: undefined, outputs: {epochs, size, rest, first, third, total}};
})
