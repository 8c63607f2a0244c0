-- Applied ARC callbacks are kept for a while (an operator can see what each one did) and then
-- pruned by the broadcaster (raregen.broadcaster.callbacks.retention); this index finds them
-- without scanning the table. The table is small and new, so a plain build is quick.
CREATE INDEX IF NOT EXISTS arc_callbacks_applied ON arc_callbacks (applied_at) WHERE applied_at IS NOT NULL;
