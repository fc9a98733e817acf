// The built-in tutorials that `#tutorial=NAME` shows (shipped with the page, no network).
// Each step is a paragraph; a step with `config` gets a "Set this up" button that sends
// that partial config (field names), so a class can follow along with one click.

export const TUTORIALS = {
  'xor-hidden-layer': {
    title: 'Why XOR needs a hidden layer',
    steps: [
      { text: 'In XOR the two classes sit in opposite corners: top-left and bottom-right ' +
          'belong together, and so do the other two. Set up a network with no hidden layer ' +
          'and only the inputs X₁ and X₂, then press play.',
        config: { dataset: 'xor', network_shape: [], x: true, y: true, x_squared: false,
          y_squared: false, x_times_y: false, sin_x: false, sin_y: false } },
      { text: 'Without a hidden layer the output is one neuron: it can only cut the plane ' +
          'with a single straight line. No straight line puts opposite corners on the same ' +
          'side, so the test loss stays high however long you train.' },
      { text: 'Now add one hidden layer of four neurons. Each hidden neuron draws its own ' +
          'line; the output combines them into a region with a bend in it, and the loss ' +
          'falls.', config: { network_shape: [4] } },
      { text: 'Another way out: keep no hidden layer but give the network the feature X₁X₂. ' +
          'Its sign is exactly the XOR of the signs of X₁ and X₂, so one line in the new ' +
          'feature space is enough. Hidden layers learn such features by themselves.',
        config: { network_shape: [], x_times_y: true } },
    ],
  },
  'learning-rate': {
    title: 'A learning rate that is too high, or too low',
    steps: [
      { text: 'Each update moves the weights by the learning rate times the gradient. ' +
          'Start with a rate of 3 on the circle data and press play.',
        config: { dataset: 'circle', network_shape: [4, 2], learning_rate: 3 } },
      { text: 'With steps this large the weights overshoot the valley of the loss: the loss ' +
          'jumps about or grows, and it may even become NaN (the playground then pauses ' +
          'and says so).' },
      { text: 'Now try 0.0001. Every step is tiny: the loss creeps down so slowly that ' +
          'after hundreds of epochs the boundary has hardly moved.',
        config: { learning_rate: 0.0001 } },
      { text: 'Between the two, 0.03 learns the circle in a few hundred epochs. A good rate ' +
          'is usually the largest one that still brings the loss down smoothly.',
        config: { learning_rate: 0.03 } },
    ],
  },
  'spiral-features': {
    title: 'The spiral: depth or better features',
    steps: [
      { text: 'The two arms of the spiral wind around each other. With only X₁ and X₂ and ' +
          'a small network, training is slow and the boundary stays blocky.',
        config: { dataset: 'spiral', network_shape: [4], x: true, y: true, sin_x: false,
          sin_y: false, learning_rate: 0.03 } },
      { text: 'Give the network more room: two hidden layers of eight neurons. Deeper ' +
          'layers combine the simple boundaries of the first layer into curved ones.',
        config: { network_shape: [8, 8] } },
      { text: 'Or keep the small network and add sin X₁ and sin X₂. Features that already ' +
          'bend make the same boundary much easier to find: good inputs can replace depth.',
        config: { network_shape: [4], sin_x: true, sin_y: true } },
    ],
  },
};
