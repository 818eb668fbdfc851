// inputs: 
// declarations: a
// assigned: 
"use strict"; (async function parenthesized_object(__nb, {}) {
;(__nb.a = 1);
// A cell may end with an object literal in parentheses; its value is displayed.
return {value: (({
  identity: __nb.a, // a comment inside
  projection: 2,
}))};

})
