// inputs: loadData, budget, train, signal, display
// declarations: data
// assigned: 
"use strict"; (async function top_level_await(__nb, {loadData, budget, train, signal, display, __loop}) {
;(__nb.data = await loadData({ size: budget.trainSize }));
for await (const record of train(__nb.model, __nb.data, { signal })) {__loop();
  if (record.kind === 'done') display(record);
}

return {value: undefined};
})
