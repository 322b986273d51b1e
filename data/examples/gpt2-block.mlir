// One GPT-2 (124M) transformer block, batch 1 x sequence 1024, FP32, in the
// linalg/tensor form torch-mlir emits: tensor.empty + linalg.fill
// accumulators, layernorm decomposed into generics, attention as batched
// matmuls with linalg.softmax. Hidden 768, 12 heads of 64, MLP 3072.
//
//   tilecast-predict data/examples/gpt2-block.mlir --target=h100-sxm

#rows = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>

module {
  // LayerNorm over the last dimension, as torch-mlir decomposes it.
  func.func private @layer_norm(%x: tensor<1024x768xf32>, %gamma: tensor<768xf32>,
                                %beta: tensor<768xf32>) -> tensor<1024x768xf32> {
    %zero = arith.constant 0.0 : f32
    %inv_n = arith.constant 0.00130208333 : f32
    %eps = arith.constant 1.0e-5 : f32
    %acc0 = tensor.empty() : tensor<1024xf32>
    %acc = linalg.fill ins(%zero : f32) outs(%acc0 : tensor<1024xf32>) -> tensor<1024xf32>
    %sum = linalg.generic {indexing_maps = [#rows, #row],
                           iterator_types = ["parallel", "reduction"]}
        ins(%x : tensor<1024x768xf32>) outs(%acc : tensor<1024xf32>) {
    ^bb0(%a: f32, %s: f32):
      %r = arith.addf %a, %s : f32
      linalg.yield %r : f32
    } -> tensor<1024xf32> loc("ln.mean")
    %sq = linalg.generic {indexing_maps = [#rows, #row, #row],
                          iterator_types = ["parallel", "reduction"]}
        ins(%x, %sum : tensor<1024x768xf32>, tensor<1024xf32>) outs(%acc : tensor<1024xf32>) {
    ^bb0(%a: f32, %s: f32, %v: f32):
      %mean = arith.mulf %s, %inv_n : f32
      %d = arith.subf %a, %mean : f32
      %d2 = arith.mulf %d, %d : f32
      %r = arith.addf %d2, %v : f32
      linalg.yield %r : f32
    } -> tensor<1024xf32> loc("ln.var")
    %out0 = tensor.empty() : tensor<1024x768xf32>
    %y = linalg.generic {indexing_maps = [#rows, #row, #row, #col, #col, #rows],
                         iterator_types = ["parallel", "parallel"]}
        ins(%x, %sum, %sq, %gamma, %beta : tensor<1024x768xf32>, tensor<1024xf32>,
            tensor<1024xf32>, tensor<768xf32>, tensor<768xf32>)
        outs(%out0 : tensor<1024x768xf32>) {
    ^bb0(%a: f32, %s: f32, %v: f32, %g: f32, %b: f32, %o: f32):
      %mean = arith.mulf %s, %inv_n : f32
      %var = arith.mulf %v, %inv_n : f32
      %ve = arith.addf %var, %eps : f32
      %rs = math.rsqrt %ve : f32
      %d = arith.subf %a, %mean : f32
      %n = arith.mulf %d, %rs : f32
      %sc = arith.mulf %n, %g : f32
      %r = arith.addf %sc, %b : f32
      linalg.yield %r : f32
    } -> tensor<1024x768xf32> loc("ln.normalize")
    return %y : tensor<1024x768xf32>
  }

  // y = x W + b, the way nn.Linear lowers: fill, matmul, broadcast bias add.
  func.func private @linear_768_2304(%x: tensor<1024x768xf32>, %w: tensor<768x2304xf32>,
                                     %b: tensor<2304xf32>) -> tensor<1024x2304xf32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<1024x2304xf32>
    %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1024x2304xf32>) -> tensor<1024x2304xf32>
    %mm = linalg.matmul ins(%x, %w : tensor<1024x768xf32>, tensor<768x2304xf32>)
                        outs(%acc : tensor<1024x2304xf32>) -> tensor<1024x2304xf32> loc("attn.qkv")
    %y = linalg.generic {indexing_maps = [#rows, #col, #rows],
                         iterator_types = ["parallel", "parallel"]}
        ins(%mm, %b : tensor<1024x2304xf32>, tensor<2304xf32>) outs(%e : tensor<1024x2304xf32>) {
    ^bb0(%a: f32, %c: f32, %o: f32):
      %r = arith.addf %a, %c : f32
      linalg.yield %r : f32
    } -> tensor<1024x2304xf32> loc("attn.qkv.bias")
    return %y : tensor<1024x2304xf32>
  }

  func.func @gpt2_block(%x: tensor<1024x768xf32>,
                        %ln1_g: tensor<768xf32>, %ln1_b: tensor<768xf32>,
                        %w_qkv: tensor<768x2304xf32>, %b_qkv: tensor<2304xf32>,
                        %w_o: tensor<768x768xf32>, %b_o: tensor<768xf32>,
                        %ln2_g: tensor<768xf32>, %ln2_b: tensor<768xf32>,
                        %w_fc: tensor<768x3072xf32>, %b_fc: tensor<3072xf32>,
                        %w_proj: tensor<3072x768xf32>, %b_proj: tensor<768xf32>)
      -> tensor<1024x768xf32> {
    %zero = arith.constant 0.0 : f32
    %scale = arith.constant 0.125 : f32
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %c0 = arith.constant 0.0447149984 : f32
    %c1 = arith.constant 0.797884583 : f32

    // Attention.
    %h = func.call @layer_norm(%x, %ln1_g, %ln1_b)
        : (tensor<1024x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1024x768xf32>
    %qkv = func.call @linear_768_2304(%h, %w_qkv, %b_qkv)
        : (tensor<1024x768xf32>, tensor<768x2304xf32>, tensor<2304xf32>) -> tensor<1024x2304xf32>
    %q2 = tensor.extract_slice %qkv[0, 0] [1024, 768] [1, 1]
        : tensor<1024x2304xf32> to tensor<1024x768xf32> loc("attn.split.q")
    %k2 = tensor.extract_slice %qkv[0, 768] [1024, 768] [1, 1]
        : tensor<1024x2304xf32> to tensor<1024x768xf32> loc("attn.split.k")
    %v2 = tensor.extract_slice %qkv[0, 1536] [1024, 768] [1, 1]
        : tensor<1024x2304xf32> to tensor<1024x768xf32> loc("attn.split.v")
    %q3 = tensor.expand_shape %q2 [[0], [1, 2]] output_shape [1024, 12, 64]
        : tensor<1024x768xf32> into tensor<1024x12x64xf32>
    %k3 = tensor.expand_shape %k2 [[0], [1, 2]] output_shape [1024, 12, 64]
        : tensor<1024x768xf32> into tensor<1024x12x64xf32>
    %v3 = tensor.expand_shape %v2 [[0], [1, 2]] output_shape [1024, 12, 64]
        : tensor<1024x768xf32> into tensor<1024x12x64xf32>
    %hsd = tensor.empty() : tensor<12x1024x64xf32>
    %hds = tensor.empty() : tensor<12x64x1024xf32>
    %q = linalg.transpose ins(%q3 : tensor<1024x12x64xf32>) outs(%hsd : tensor<12x1024x64xf32>)
        permutation = [1, 0, 2] loc("attn.heads.q")
    %kt = linalg.transpose ins(%k3 : tensor<1024x12x64xf32>) outs(%hds : tensor<12x64x1024xf32>)
        permutation = [1, 2, 0] loc("attn.heads.k")
    %v = linalg.transpose ins(%v3 : tensor<1024x12x64xf32>) outs(%hsd : tensor<12x1024x64xf32>)
        permutation = [1, 0, 2] loc("attn.heads.v")
    %s0 = tensor.empty() : tensor<12x1024x1024xf32>
    %sacc = linalg.fill ins(%zero : f32) outs(%s0 : tensor<12x1024x1024xf32>) -> tensor<12x1024x1024xf32>
    %scores = linalg.batch_matmul ins(%q, %kt : tensor<12x1024x64xf32>, tensor<12x64x1024xf32>)
        outs(%sacc : tensor<12x1024x1024xf32>) -> tensor<12x1024x1024xf32> loc("attn.scores")
    %scaled = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>,
                                               affine_map<(d0, d1, d2) -> (d0, d1, d2)>],
                              iterator_types = ["parallel", "parallel", "parallel"]}
        ins(%scores : tensor<12x1024x1024xf32>) outs(%s0 : tensor<12x1024x1024xf32>) {
    ^bb0(%a: f32, %o: f32):
      %r = arith.mulf %a, %scale : f32
      linalg.yield %r : f32
    } -> tensor<12x1024x1024xf32> loc("attn.scale")
    %probs = linalg.softmax dimension(2) ins(%scaled : tensor<12x1024x1024xf32>)
        outs(%s0 : tensor<12x1024x1024xf32>) -> tensor<12x1024x1024xf32> loc("attn.softmax")
    %cacc = linalg.fill ins(%zero : f32) outs(%hsd : tensor<12x1024x64xf32>) -> tensor<12x1024x64xf32>
    %ctx = linalg.batch_matmul ins(%probs, %v : tensor<12x1024x1024xf32>, tensor<12x1024x64xf32>)
        outs(%cacc : tensor<12x1024x64xf32>) -> tensor<12x1024x64xf32> loc("attn.context")
    %shd = tensor.empty() : tensor<1024x12x64xf32>
    %ctx_t = linalg.transpose ins(%ctx : tensor<12x1024x64xf32>) outs(%shd : tensor<1024x12x64xf32>)
        permutation = [1, 0, 2] loc("attn.merge_heads")
    %ctx2 = tensor.collapse_shape %ctx_t [[0], [1, 2]] : tensor<1024x12x64xf32> into tensor<1024x768xf32>
    %e768 = tensor.empty() : tensor<1024x768xf32>
    %oacc = linalg.fill ins(%zero : f32) outs(%e768 : tensor<1024x768xf32>) -> tensor<1024x768xf32>
    %o = linalg.matmul ins(%ctx2, %w_o : tensor<1024x768xf32>, tensor<768x768xf32>)
        outs(%oacc : tensor<1024x768xf32>) -> tensor<1024x768xf32> loc("attn.out")
    %res1 = linalg.generic {indexing_maps = [#rows, #col, #rows, #rows],
                            iterator_types = ["parallel", "parallel"]}
        ins(%o, %b_o, %x : tensor<1024x768xf32>, tensor<768xf32>, tensor<1024x768xf32>)
        outs(%e768 : tensor<1024x768xf32>) {
    ^bb0(%a: f32, %b: f32, %r0: f32, %out: f32):
      %t = arith.addf %a, %b : f32
      %r = arith.addf %t, %r0 : f32
      linalg.yield %r : f32
    } -> tensor<1024x768xf32> loc("attn.out.bias_residual")

    // MLP.
    %h2 = func.call @layer_norm(%res1, %ln2_g, %ln2_b)
        : (tensor<1024x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1024x768xf32>
    %e3072 = tensor.empty() : tensor<1024x3072xf32>
    %facc = linalg.fill ins(%zero : f32) outs(%e3072 : tensor<1024x3072xf32>) -> tensor<1024x3072xf32>
    %fc = linalg.matmul ins(%h2, %w_fc : tensor<1024x768xf32>, tensor<768x3072xf32>)
        outs(%facc : tensor<1024x3072xf32>) -> tensor<1024x3072xf32> loc("mlp.fc")
    // Bias and GELU (tanh approximation), as one generic.
    %act = linalg.generic {indexing_maps = [#rows, #col, #rows],
                           iterator_types = ["parallel", "parallel"]}
        ins(%fc, %b_fc : tensor<1024x3072xf32>, tensor<3072xf32>) outs(%e3072 : tensor<1024x3072xf32>) {
    ^bb0(%a: f32, %b: f32, %out: f32):
      %t = arith.addf %a, %b : f32
      %t3 = arith.mulf %t, %t : f32
      %t3b = arith.mulf %t3, %t : f32
      %u = arith.mulf %t3b, %c0 : f32
      %w = arith.addf %t, %u : f32
      %z = arith.mulf %w, %c1 : f32
      %th = math.tanh %z : f32
      %p = arith.addf %th, %one : f32
      %hx = arith.mulf %t, %half : f32
      %r = arith.mulf %hx, %p : f32
      linalg.yield %r : f32
    } -> tensor<1024x3072xf32> loc("mlp.bias_gelu")
    %pacc = linalg.fill ins(%zero : f32) outs(%e768 : tensor<1024x768xf32>) -> tensor<1024x768xf32>
    %proj = linalg.matmul ins(%act, %w_proj : tensor<1024x3072xf32>, tensor<3072x768xf32>)
        outs(%pacc : tensor<1024x768xf32>) -> tensor<1024x768xf32> loc("mlp.proj")
    %res2 = linalg.generic {indexing_maps = [#rows, #col, #rows, #rows],
                            iterator_types = ["parallel", "parallel"]}
        ins(%proj, %b_proj, %res1 : tensor<1024x768xf32>, tensor<768xf32>, tensor<1024x768xf32>)
        outs(%e768 : tensor<1024x768xf32>) {
    ^bb0(%a: f32, %b: f32, %r0: f32, %out: f32):
      %t = arith.addf %a, %b : f32
      %r = arith.addf %t, %r0 : f32
      linalg.yield %r : f32
    } -> tensor<1024x768xf32> loc("mlp.proj.bias_residual")
    return %res2 : tensor<1024x768xf32>
  }
}
