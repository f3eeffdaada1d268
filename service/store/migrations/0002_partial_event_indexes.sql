-- The event indexes hold only the rows they are searched for: an event is looked up by its intent
-- or its solver to refold that row, never by a missing one, and most events have only one of the
-- two (a submission has no solver, a bond change no intent). Entries for NULL keys cost a third of
-- the ingestion time of a batch and served no query.
DROP INDEX chain_events_intent;
CREATE INDEX chain_events_intent ON chain_events (intent_id, block_number, log_index) WHERE intent_id IS NOT NULL;
DROP INDEX chain_events_solver;
CREATE INDEX chain_events_solver ON chain_events (solver, block_number, log_index) WHERE solver IS NOT NULL;
