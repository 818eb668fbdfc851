// inputs: loadData, budget, train, model, signal, display
// outputs: data
"use strict"; (async function top_level_await({loadData, budget, train, model, signal, display}) {
const data = await loadData({ size: budget.trainSize });
for await (const record of train(model, data, { signal })) {
  if (record.kind === 'done') display(record);
}

return {value: undefined, outputs: {data}};
})
