"""The engine: config rules, data, model, activations, instruments, the training loop, measures and
mean-field theory. Pure compute on PyTorch; knows nothing of lessons, charts or Streamlit."""
