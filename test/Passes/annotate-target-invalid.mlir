// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=b200})' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target)' 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=%S/Inputs/no-such-file.json})' 2>&1 | FileCheck %s --check-prefix=NOFILE
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=%S/Inputs/missing-bandwidth.json})' 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=%S/Inputs/negative-bandwidth.json})' 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=%S/Inputs/wrong-type.json})' 2>&1 | FileCheck %s --check-prefix=TYPE
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=%S/Inputs/malformed.json})' 2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=%S/Inputs/unknown-field.json})' 2>&1 | FileCheck %s --check-prefix=FIELD
// RUN: not tilecast-opt %s --pass-pipeline='builtin.module(tilecast-annotate-target{target=%S/Inputs/control-character-id.json})' 2>&1 | FileCheck %s --check-prefix=CONTROL

// UNKNOWN: annotate-target-invalid.mlir:23:1: error: unknown target 'b200'
// UNKNOWN: note: known targets: a100-pcie-40gb, a100-pcie-80gb, a100-sxm4-40gb, h100-sxm, host, l4, mi100, mi210, mi250, p100, p4, t4, v100; or give the path of a spec file (*.json)
// NONE: error: tilecast-annotate-target needs a target
// NONE: note: pass target=NAME, one of a100-pcie-40gb
// NOFILE: error: cannot read target spec '{{.*}}no-such-file.json': No such file or directory
// MISSING: missing-bandwidth.json:1:1: error: target spec is missing the field 'memory_bandwidth_gbps'
// NEGATIVE: negative-bandwidth.json:13:3: error: field 'memory_bandwidth_gbps' must be a number from 1e-06 to 1e+09, got -100
// TYPE: wrong-type.json:8:3: error: field 'compute_units' must be a number, got string
// MALFORMED: malformed.json:11:21: error: malformed JSON in target spec: syntax error while parsing object key - unexpected ','; expected string literal
// FIELD: unknown-field.json:20:3: error: unknown field 'alias' in target spec
// An id heads the prediction table: a newline in it would break the table.
// CONTROL: control-character-id.json:{{[0-9]+}}:3: error: field 'id' must not contain control characters
module {
}
