// inputs: budget
// declarations: epochs, size, rest, first, third, total
// assigned: 
"use strict"; (async function destructuring(__nb, {budget, __loop}) {
;({ epochs: __nb.epochs, batchSize: __nb.size = 32, ...__nb.rest } = budget);
;([__nb.first, , __nb.third = 3] = [1, 2]);
;(__nb.total = 0);
for (const value of [__nb.first, __nb.third]) {__loop();__nb.total += value;}

return {value: undefined};
})
