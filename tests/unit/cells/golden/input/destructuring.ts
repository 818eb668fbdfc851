const { epochs, batchSize: size = 32, ...rest } = budget;
const [first, , third = 3] = [1, 2];
let total = 0;
for (const value of [first, third]) total += value;
