// inputs: 
// outputs: a
"use strict"; (async function parenthesized_object({}) {
const a = 1;
// A cell may end with an object literal in parentheses; its value is displayed.
return {value: (({
  identity: a, // a comment inside
  projection: 2,
})), outputs: {a}};

})
