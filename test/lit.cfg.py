# lit configuration for TileCast's FileCheck tests.
import os
import sys

import lit.formats

config.name = "TileCast"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test", ".json"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt", "Inputs", "unit"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tilecast_obj_root, "test")

bin_dir = os.path.join(config.tilecast_obj_root, "bin")
config.environment["PATH"] = os.pathsep.join(
    [bin_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])

config.substitutions.append(("%plugin", os.path.join(config.tilecast_obj_root, "lib", "TilecastPlugin.so")))
config.substitutions.append(("%mlir_opt", os.path.join(config.llvm_tools_dir, "mlir-opt")))
config.substitutions.append(("%tilecast_src", config.tilecast_src_root))
config.substitutions.append(("%tilecast_obj", config.tilecast_obj_root))
config.substitutions.append(("%neusight", config.neusight_dir))
config.substitutions.append(("%python", sys.executable))

if os.path.isdir(os.path.join(config.neusight_dir, "kernels")):
    config.available_features.add("neusight-data")
