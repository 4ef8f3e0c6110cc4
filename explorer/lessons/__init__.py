"""The lessons: one module per experiment the pages teach (chain rule, RNN vs LSTM, pretraining, ...),
built on the engine's public pieces. Each turns a result into verdicts (keys and numbers); no Streamlit."""
