const a: number = 1;
// A cell may end with an object literal in parentheses; its value is displayed.
({
  identity: a, // a comment inside
  projection: 2,
});
