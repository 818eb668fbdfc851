// Shapes in TensorFlow.js are [batch, height, width, channels].
const image = tf.zeros([1, 28, 28, 1]);
image.shape; // [1, 28, 28, 1]
