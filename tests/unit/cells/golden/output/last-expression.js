// inputs: tf
// declarations: image
// assigned: 
"use strict"; (async function last_expression(__nb, {tf}) {
// Shapes in TensorFlow.js are [batch, height, width, channels].
;(__nb.image = tf.zeros([1, 28, 28, 1]));
return {value: (__nb.image.shape)}; // [1, 28, 28, 1]

})
