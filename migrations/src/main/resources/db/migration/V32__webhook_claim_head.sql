-- Whether a pending webhook delivery is the oldest pending one of its webhook and job: a job's events
-- go out in order, so a worker claims only such rows.
--
-- A function, not a NOT EXISTS inside the claim, so that this lookup is planned on its own, where it is
-- always a probe of idx_webhook_deliveries_job (webhook_id, job_id, id). Inside the claim's join, with
-- statistics taken while the outbox was small (it fills in seconds), the planner chose to walk every
-- pending row for every candidate row: 12-17 s per claim at 7,000-9,000 pending rows.
CREATE FUNCTION webhook_delivery_is_head(p_webhook uuid, p_job text, p_id bigint) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN NOT EXISTS (SELECT 1 FROM webhook_deliveries h
                     WHERE h.webhook_id = p_webhook AND h.job_id = p_job AND h.status = 'pending' AND h.id < p_id);
END
$$;
