# Profile-guided optimization (PGO) of the shardsim binary, GCC Release builds.
#
# Why it exists: the simulator's hot path is branchy code spread over the model's boxes (every
# event is an indirect call into a different one), the case PGO is meant for. Why it is off by
# default (-DSHARDSIM_PGO=ON to try it): measured side by side on 2026-11-30 it made the seed model
# at 10,000 req/s 1.05x *slower* (1.09x with a training set of the seed alone) and the M/M/1 kernel
# benchmark 1.03x faster, for twice the build time (docs/performance.md). Outputs are
# byte-identical either way.
#
# How, all inside one `cmake --build`:
#   1. a sub-build in <build>/pgo/build compiles an instrumented shardsim (-fprofile-generate);
#   2. it runs the training scenarios below, which write profiles into <build>/pgo/data;
#   3. the real objects compile with -fprofile-use on those profiles.
# -fprofile-prefix-path makes the profile file names relative to each build directory, so the two
# builds' objects (same relative paths) find each other's profiles. Any change to a source or
# header re-runs steps 1-3 (the instrumented build is incremental; the core then recompiles), so
# for a fast edit-compile loop configure a build directory with -DSHARDSIM_PGO=OFF.
#
# Training: the seed model at 10,000 req/s (the benchmark's hot path, 600,000 requests), the large
# scenario (5 geos, 32 shards, 10 million keys; 400,000 requests) and the shipped scenarios that
# exercise failover, hot keys, writes and three geos, each for a short simulated time (about ten
# seconds of training in all).
# -fprofile-partial-training keeps code that training never reached optimized as usual (not for
# size), so scenarios unlike the training set lose nothing.

# Flags of the instrumented sub-build (it is configured with SHARDSIM_PGO_GENERATE_DIR set).
function(shardsim_pgo_instrument)
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE -fprofile-generate=${SHARDSIM_PGO_GENERATE_DIR}
                           -fprofile-prefix-path=${CMAKE_BINARY_DIR} -fprofile-update=single)
    target_link_options(${target} PRIVATE -fprofile-generate)
  endforeach()
endfunction()

# Builds and trains the instrumented binary, then compiles `targets` with its profiles.
function(shardsim_pgo_optimize)
  set(pgo_dir ${CMAKE_BINARY_DIR}/pgo)
  set(data_dir ${pgo_dir}/data)
  set(stamp ${pgo_dir}/profile.stamp)
  set(instrumented ${pgo_dir}/build/shardsim)
  set(out ${pgo_dir}/training-out)
  include(ProcessorCount)
  ProcessorCount(jobs)
  if(jobs EQUAL 0)
    set(jobs 2)
  endif()
  set(scenarios ${PROJECT_SOURCE_DIR}/scenarios)
  file(GLOB_RECURSE pgo_inputs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/sim/*.cc ${PROJECT_SOURCE_DIR}/sim/*.h
       ${PROJECT_SOURCE_DIR}/include/*.h)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${data_dir} ${out}
    COMMAND ${CMAKE_COMMAND} -S ${PROJECT_SOURCE_DIR} -B ${pgo_dir}/build -G ${CMAKE_GENERATOR}
            -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER} -DSHARDSIM_TESTS=OFF
            -DSHARDSIM_PGO=OFF -DSHARDSIM_LTO=OFF -DSHARDSIM_WERROR=${SHARDSIM_WERROR}
            -DSHARDSIM_PGO_GENERATE_DIR=${data_dir}
    # A make of its own, not a sub-make of ours (whose job server would throttle or warn).
    COMMAND ${CMAKE_COMMAND} -E env --unset=MAKEFLAGS --unset=MFLAGS --unset=MAKELEVEL ${CMAKE_COMMAND} --build
            ${pgo_dir}/build --target shardsim -j ${jobs}
    COMMAND ${instrumented} run ${scenarios}/seed.json -q --out ${out}/seed-10k --set duration_s=60
            --set report.warmup_s=2 --set workload.india.rate_per_s=4000 --set workload.usa.rate_per_s=6000
            --set async_path.consumer.servers=32
    COMMAND ${instrumented} run ${scenarios}/large.json -q --out ${out}/large --set duration_s=4
            --set report.warmup_s=1
    COMMAND ${instrumented} run ${scenarios}/seed.json -q --out ${out}/seed
    COMMAND ${instrumented} run ${scenarios}/three-geo.json -q --out ${out}/three-geo --set duration_s=30
    COMMAND ${instrumented} run ${scenarios}/hot-keys.json -q --out ${out}/hot-keys --set duration_s=20
    COMMAND ${instrumented} run ${scenarios}/write-heavy.json -q --out ${out}/write-heavy --set duration_s=30
    COMMAND ${instrumented} run ${scenarios}/failover-global-master.json -q --out ${out}/failover-global
            --set duration_s=120
    COMMAND ${instrumented} run ${scenarios}/failover-random.json -q --out ${out}/failover-random
            --set duration_s=120
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${pgo_inputs} ${PROJECT_SOURCE_DIR}/CMakeLists.txt ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
    COMMENT "PGO: building an instrumented shardsim and training it on the scenarios"
    VERBATIM)
  add_custom_target(shardsim_pgo_profile DEPENDS ${stamp})
  foreach(target IN LISTS ARGN)
    add_dependencies(${target} shardsim_pgo_profile)
    # The profile-use flags; -Wno-missing-profile: code no training run reached has no profile.
    # -Wno-error=coverage-mismatch: a profile older than its source (a file edited while the build
    # ran) costs only optimization; GCC would otherwise fail the build on it.
    target_compile_options(${target} PRIVATE -fprofile-use=${data_dir} -fprofile-prefix-path=${CMAKE_BINARY_DIR}
                           -fprofile-partial-training -Wno-missing-profile -Wno-error=coverage-mismatch)
    # Recompile when the profile changes.
    get_target_property(sources ${target} SOURCES)
    set_source_files_properties(${sources} TARGET_DIRECTORY ${target} PROPERTIES OBJECT_DEPENDS ${stamp})
  endforeach()
endfunction()
