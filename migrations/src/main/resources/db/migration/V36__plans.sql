-- Plans (docs/ACCOUNTS.md#plans): a monthly allowance of credits. Operators define plans and put accounts on them;
-- the broadcaster's plan-allowance job grants each account on a plan its allowance once per calendar month (UTC),
-- as a 'plan' ledger entry whose reference is the month, so no re-run, restart or second broadcaster grants twice.
CREATE TABLE plans (
  name             text         PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,31}$'),
  monthly_credits  bigint       NOT NULL CHECK (monthly_credits BETWEEN 1 AND 1000000000),
  created_at       timestamptz  NOT NULL DEFAULT now(),
  updated_at       timestamptz  NOT NULL DEFAULT now()
);

ALTER TABLE accounts ADD CONSTRAINT accounts_plan_fk FOREIGN KEY (plan) REFERENCES plans (name);
CREATE INDEX idx_accounts_plan ON accounts (plan) WHERE plan IS NOT NULL;
