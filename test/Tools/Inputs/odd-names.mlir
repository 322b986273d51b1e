// Names that must not break the JSON or the HTML report: an invalid UTF-8
// byte, and markup that would end a <script> element.
func.func @f(%x: tensor<16xf32>) -> tensor<16xf32> {
  %e = tensor.empty() : tensor<16xf32>
  %a = linalg.add ins(%x, %x : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("\FFbad")
  %b = linalg.add ins(%a, %a : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) -> tensor<16xf32> loc("<!--<script></script>")
  return %b : tensor<16xf32>
}
