//! Health: `/healthz`, whether the service is up and what it holds, and,
//! with `--engine`, each node of the cluster.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::Shared;
use crate::engine::EngineHealth;

/// The service's health and what it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` when the last update or reload failed and the
    /// last good index is what answers.
    pub status: String,
    /// Why it is degraded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Passages in the index.
    pub passages: u64,
    /// Pages in the index.
    pub pages: usize,
    /// The cluster that answers searches (`serve --engine`): each node's
    /// health and role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<EngineHealth>,
}

/// Whether the service is up, and what it holds.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub async fn health_handler(State(shared): State<Arc<Shared>>) -> Json<Health> {
    let live = shared.current();
    let mut reason = shared.trouble();
    let engine = match shared.engine.clone() {
        Some(engine) => tokio::task::spawn_blocking(move || engine.health())
            .await
            .ok(),
        None => None,
    };
    if let Some(cluster) = &engine {
        let down: Vec<&str> = cluster
            .nodes
            .iter()
            .filter(|n| !n.ok)
            .map(|n| n.url.as_str())
            .collect();
        if down.len() == cluster.nodes.len() {
            reason.get_or_insert_with(|| "no node of the cluster answers".into());
        } else if cluster.roles_known && !cluster.leader {
            reason.get_or_insert_with(|| {
                "the cluster has no leader: searches answer, writes wait".into()
            });
        } else if !down.is_empty() {
            reason.get_or_insert_with(|| {
                format!(
                    "{} of the cluster's nodes do not answer: {}",
                    down.len(),
                    down.join(", ")
                )
            });
        }
    }
    Json(Health {
        status: if reason.is_some() { "degraded" } else { "ok" }.into(),
        reason,
        passages: live.index.reader().searcher().num_docs(),
        pages: live.index.totals().pages,
        engine,
    })
}
