"""Pure Altair builders: tidy DataFrame (and a translator for the words) in, alt.Chart out; no st calls.

One module per page's charts; `common` holds what every chart shares, above all the one colour scale
for layer position (input -> output).
"""
