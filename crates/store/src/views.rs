//! Aggregate views over the store for the API and the web UI (actor network, places).
