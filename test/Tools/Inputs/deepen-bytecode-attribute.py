"""Rewrites, in place and at the same length, the text of the #tilecast.target
that MLIR bytecode FILE stores as text (the dialect has no bytecode encoding
of its own) so that its peak_tflops nests DEPTH square brackets deep. No
offset of the file changes, so the bytecode stays well formed; only reading
the attribute's text recurses DEPTH levels deep.

    python3 deepen-bytecode-attribute.py FILE DEPTH
"""
import sys

path, depth = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, 'rb').read())
start = data.index(b'#tilecast.target<') + len(b'#tilecast.target<')
end = data.index(b'>\x00', start)
text = (b'"x", kind = cpu, compute_units = 2, lanes_per_unit = 8, lanes_shared_with_int32 = 0, '
        b'clock_mhz = 1000.0, memory_bandwidth_gbps = 20.0, l2_cache_mib = 1.0, '
        b'l1_cache_kib = 32.0, max_threads_per_unit = 1, launch_overhead_us = 0.0, '
        b'peak_tflops = {f32 = ' + b'[' * depth + b']' * depth + b'}')
if len(text) > end - start:
    sys.exit('the target name is too short for depth %d' % depth)
data[start:end] = text + b' ' * (end - start - len(text))
open(path, 'wb').write(data)
