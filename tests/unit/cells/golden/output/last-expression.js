// inputs: tf
// outputs: image
"use strict"; (async function last_expression({tf}) {
// Shapes in TensorFlow.js are [batch, height, width, channels].
const image = tf.zeros([1, 28, 28, 1]);
return {value: (image.shape), outputs: {image}}; // [1, 28, 28, 1]

})
