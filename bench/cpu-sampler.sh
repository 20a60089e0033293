#!/usr/bin/env bash
# cpu-sampler.sh OUT PORT... : every second, for the process listening on each PORT, one line:
# port pid epoch utime stime (ticks), voluntary and involuntary context switches (all threads),
# read and write system calls (syscr, syscw of /proc/PID/io: read/recv* and write/send* alike)
out=$1; shift
while :; do
  now=$(date +%s.%N | cut -c1-14)
  for port in "$@"; do
    pid=$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
    [ -n "$pid" ] && [ -r /proc/$pid/stat ] || continue
    read -r u s < <(awk '{print $14, $15}' /proc/$pid/stat 2>/dev/null) || continue
    v=0; iv=0
    for t in /proc/$pid/task/*/status; do
      while read -r k val; do case $k in voluntary_ctxt_switches:) v=$((v+val));; nonvoluntary_ctxt_switches:) iv=$((iv+val));; esac; done < "$t" || true
    done 2>/dev/null  # a thread that ended between the glob and the read
    read -r r w < <(awk '/^syscr/ {r=$2} /^syscw/ {w=$2} END {print r+0, w+0}' /proc/$pid/io 2>/dev/null) || { r=0; w=0; }
    echo "$port $pid $now $u $s $v $iv $r $w" >> "$out"
  done
  sleep 1
done
