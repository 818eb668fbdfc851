const data = await loadData({ size: budget.trainSize });
for await (const record of train(model, data, { signal })) {
  if (record.kind === 'done') display(record);
}
