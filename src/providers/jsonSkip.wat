;; The wide path of jsonMembers.ts's skipContainer, for long prompts. It takes
;; over a container at memory[start], a byte outside any string, with `depth`
;; closers already expected (memory[stack, stack + depth), innermost last), and
;; returns the offset past the one that closes it, its brackets matched and its
;; strings closed (escapes honoured, not checked); -1 when it does not close
;; before `end`; -2 when a backslash lies outside a string (no JSON, left to
;; the scalar path). Otherwise the same answer as the scalar path, which the
;; tests hold it to on mutated bodies.
;;
;; It reads 64 bytes a step with SIMD compares, as simdjson's first stage does:
;; bit masks of quotes, backslashes and brackets; the characters escaped by odd
;; runs of backslashes (carried across steps); a prefix xor of the unescaped
;; quotes for what lies inside strings; then only the brackets outside strings
;; are visited, one at a time, against a stack of expected closers kept in
;; memory from `stack` up. A code prompt has a quote or a backslash every 20
;; bytes or so, so a byte-at-a-time scan branches that often; this one branches
;; on brackets only.
;;
;; The caller copies the bytes to memory[start, end), fills the 64 bytes after
;; `end` with spaces (a step reads past the end), and leaves room for the stack.
;; Compiled by scripts/build-wasm.mjs into jsonSkipWasm.ts.
(module
  (memory (export "memory") 1)
  (func (export "skipContainer") (param $start i32) (param $end i32) (param $stack i32) (param $depth i32) (result i32)
    (local $p i32) (local $sp i32) (local $at i32) (local $c i32)
    (local $v v128) (local $folded v128)
    (local $QUOTE v128) (local $BACKSLASH v128) (local $OPEN v128) (local $CLOSE v128) (local $CASE v128)
    (local $quote i64) (local $backslash i64) (local $bracket i64)
    (local $carriedEscape i64) (local $follows i64) (local $oddStarts i64) (local $sum i64) (local $escaped i64)
    (local $inString i64) (local $visit i64)
    (local.set $QUOTE (i8x16.splat (i32.const 0x22)))
    (local.set $BACKSLASH (i8x16.splat (i32.const 0x5c)))
    ;; '[' | 0x20 is '{' and ']' | 0x20 is '}': one compare finds both kinds.
    (local.set $CASE (i8x16.splat (i32.const 0x20)))
    (local.set $OPEN (i8x16.splat (i32.const 0x7b)))
    (local.set $CLOSE (i8x16.splat (i32.const 0x7d)))
    (local.set $p (local.get $start))
    (local.set $sp (i32.add (local.get $stack) (local.get $depth)))
    (loop $step
      (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
      (local.set $quote (i64.const 0))
      (local.set $backslash (i64.const 0))
      (local.set $bracket (i64.const 0))
      ;; Four 16-byte lanes, written out: a loop here costs a branch per lane.
      (local.set $v (v128.load offset=0 (local.get $p)))
      (local.set $folded (v128.or (local.get $v) (local.get $CASE)))
      (local.set $quote (i64.or (local.get $quote) (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $QUOTE)))) (i64.const 0))))
      (local.set $backslash (i64.or (local.get $backslash) (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $BACKSLASH)))) (i64.const 0))))
      (local.set $bracket (i64.or (local.get $bracket) (i64.shl (i64.extend_i32_u (i8x16.bitmask (v128.or (i8x16.eq (local.get $folded) (local.get $OPEN)) (i8x16.eq (local.get $folded) (local.get $CLOSE))))) (i64.const 0))))
      (local.set $v (v128.load offset=16 (local.get $p)))
      (local.set $folded (v128.or (local.get $v) (local.get $CASE)))
      (local.set $quote (i64.or (local.get $quote) (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $QUOTE)))) (i64.const 16))))
      (local.set $backslash (i64.or (local.get $backslash) (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $BACKSLASH)))) (i64.const 16))))
      (local.set $bracket (i64.or (local.get $bracket) (i64.shl (i64.extend_i32_u (i8x16.bitmask (v128.or (i8x16.eq (local.get $folded) (local.get $OPEN)) (i8x16.eq (local.get $folded) (local.get $CLOSE))))) (i64.const 16))))
      (local.set $v (v128.load offset=32 (local.get $p)))
      (local.set $folded (v128.or (local.get $v) (local.get $CASE)))
      (local.set $quote (i64.or (local.get $quote) (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $QUOTE)))) (i64.const 32))))
      (local.set $backslash (i64.or (local.get $backslash) (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $BACKSLASH)))) (i64.const 32))))
      (local.set $bracket (i64.or (local.get $bracket) (i64.shl (i64.extend_i32_u (i8x16.bitmask (v128.or (i8x16.eq (local.get $folded) (local.get $OPEN)) (i8x16.eq (local.get $folded) (local.get $CLOSE))))) (i64.const 32))))
      (local.set $v (v128.load offset=48 (local.get $p)))
      (local.set $folded (v128.or (local.get $v) (local.get $CASE)))
      (local.set $quote (i64.or (local.get $quote) (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $QUOTE)))) (i64.const 48))))
      (local.set $backslash (i64.or (local.get $backslash) (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $BACKSLASH)))) (i64.const 48))))
      (local.set $bracket (i64.or (local.get $bracket) (i64.shl (i64.extend_i32_u (i8x16.bitmask (v128.or (i8x16.eq (local.get $folded) (local.get $OPEN)) (i8x16.eq (local.get $folded) (local.get $CLOSE))))) (i64.const 48))))
      ;; Escaped characters: those after an odd run of backslashes. A run that
      ;; starts on an odd bit overflows the add differently from one on an
      ;; even bit; a run reaching bit 63 carries into the next step.
      (local.set $backslash (i64.and (local.get $backslash) (i64.xor (local.get $carriedEscape) (i64.const -1))))
      (local.set $follows (i64.or (i64.shl (local.get $backslash) (i64.const 1)) (local.get $carriedEscape)))
      (local.set $oddStarts (i64.and (local.get $backslash) (i64.and (i64.const 0xAAAAAAAAAAAAAAAA) (i64.xor (local.get $follows) (i64.const -1)))))
      (local.set $sum (i64.add (local.get $oddStarts) (local.get $backslash)))
      (local.set $carriedEscape (i64.extend_i32_u (i64.lt_u (local.get $sum) (local.get $oddStarts))))
      (local.set $escaped (i64.and (i64.xor (i64.const 0x5555555555555555) (i64.shl (local.get $sum) (i64.const 1))) (local.get $follows)))
      ;; Inside strings: the prefix xor of the unescaped quotes, continuing the last step's state.
      (local.set $quote (i64.and (local.get $quote) (i64.xor (local.get $escaped) (i64.const -1))))
      (local.set $quote (i64.xor (local.get $quote) (i64.shl (local.get $quote) (i64.const 1))))
      (local.set $quote (i64.xor (local.get $quote) (i64.shl (local.get $quote) (i64.const 2))))
      (local.set $quote (i64.xor (local.get $quote) (i64.shl (local.get $quote) (i64.const 4))))
      (local.set $quote (i64.xor (local.get $quote) (i64.shl (local.get $quote) (i64.const 8))))
      (local.set $quote (i64.xor (local.get $quote) (i64.shl (local.get $quote) (i64.const 16))))
      (local.set $quote (i64.xor (local.get $quote) (i64.shl (local.get $quote) (i64.const 32))))
      (local.set $inString (i64.xor (local.get $quote) (local.get $inString)))
      ;; A backslash outside a string is no JSON; the scalar path ignores it
      ;; where this one would take it for an escape, so it decides such a body.
      (if (i64.ne (i64.and (local.get $backslash) (i64.xor (local.get $inString) (i64.const -1))) (i64.const 0))
        (then (return (i32.const -2))))
      (local.set $visit (i64.and (local.get $bracket) (i64.xor (local.get $inString) (i64.const -1))))
      (local.set $inString (i64.shr_s (local.get $inString) (i64.const 63)))
      (block $visited
        (loop $next
          (br_if $visited (i64.eqz (local.get $visit)))
          (local.set $at (i32.add (local.get $p) (i32.wrap_i64 (i64.ctz (local.get $visit)))))
          (local.set $visit (i64.and (local.get $visit) (i64.sub (local.get $visit) (i64.const 1))))
          (local.set $c (i32.load8_u (local.get $at)))
          (if (i32.or (i32.eq (local.get $c) (i32.const 0x7b)) (i32.eq (local.get $c) (i32.const 0x5b)))
            (then
              ;; Push the closer: '{' + 2 is '}', '[' + 2 is ']'.
              (i32.store8 (local.get $sp) (i32.add (local.get $c) (i32.const 2)))
              (local.set $sp (i32.add (local.get $sp) (i32.const 1))))
            (else
              (if (i32.eq (local.get $sp) (local.get $stack)) (then (return (i32.const -1))))
              (local.set $sp (i32.sub (local.get $sp) (i32.const 1)))
              (if (i32.ne (i32.load8_u (local.get $sp)) (local.get $c)) (then (return (i32.const -1))))
              (if (i32.eq (local.get $sp) (local.get $stack)) (then (return (i32.add (local.get $at) (i32.const 1)))))))
          (br $next)))
      (local.set $p (i32.add (local.get $p) (i32.const 64)))
      (br $step))
    (i32.const -1))
)
