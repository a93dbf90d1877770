#!/bin/bash
# A Slurm batch script for a cluster run of wignerscope-cli (docs/cluster.md): an alpha sweep
# with 200 samples per point at N = 20000 (the dense sampler: a uniform bulk makes S full rank).
# Submit with `sbatch docs/slurm_example.sh`; adapt the partition, the node count and the time.
#
# One MPI process per node, each with all the node's cores for its oneTBB threads: the dense
# eigensolve of one sample is single-threaded (results must not depend on the thread count), so
# a process runs as many samples at once as it has threads, and one process per node shares the
# node's memory best (N = 20000: about 3.0 GiB per sample in flight; --memory-budget is per
# process). Each process draws 25 of the 200 samples of every point, all at once: 5.4 h
# (docs/cluster.md, projections).
#SBATCH --job-name=wignerscope-alpha
#SBATCH --nodes=8
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=32
#SBATCH --mem=0
#SBATCH --time=12:00:00
#SBATCH --output=wignerscope-%j.log

set -eu
module load openmpi 2>/dev/null || true # where the site uses environment modules

# srun starts the processes (PMI/PMIx); `mpirun -np $SLURM_NTASKS` works as well with Open MPI.
# --threads: this process's cores (without it each process takes the cores of its node divided
# by the processes on that node, or those it is bound to).
srun wignerscope-cli sweep --n 20000 --param alpha --from 0 --to 1 --steps 11 \
    --bulk uniform:-1,1 --spikes linear:2,4 --samples 200 --seed 1 \
    --threads "${SLURM_CPUS_PER_TASK}" --memory-budget 200G \
    --json alpha_sweep.json --csv alpha_sweep.csv
# Only rank 0 writes alpha_sweep.json and alpha_sweep.csv (atomically), in the directory the
# job was submitted from: byte for byte what one process would write with --seed 1.
