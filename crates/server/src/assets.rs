//! The web UI's files, compiled into the binary (`include_bytes!`) so that `chronicle serve`
//! is one file to copy and the UI works offline: our own `ui/index.html`, `app.js`,
//! `app.css`, the vendored third-party files under `ui/vendor/` (see its README for
//! versions and licences) and the CAMEO codebook names of `crates/events/data/cameo.tsv`.
//! Nothing is read from disk at run time.

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JSON: &str = "application/json";
const PNG: &str = "image/png";
const SVG: &str = "image/svg+xml";
const TSV: &str = "text/tab-separated-values; charset=utf-8";

/// One embedded file: its path under `/ui/`, bytes and media type.
pub struct Asset {
    pub path: &'static str,
    pub bytes: &'static [u8],
    pub mime: &'static str,
}

macro_rules! asset {
    ($path:literal, $mime:expr) => {
        Asset {
            path: $path,
            bytes: include_bytes!(concat!("../ui/", $path)),
            mime: $mime,
        }
    };
    ($path:literal = $file:literal, $mime:expr) => {
        Asset {
            path: $path,
            bytes: include_bytes!($file),
            mime: $mime,
        }
    };
}

/// Every file the UI may ask for. A path not listed here is a 404, so nothing else on the
/// machine can be reached through `/ui/`.
pub static ASSETS: &[Asset] = &[
    asset!("index.html", HTML),
    asset!("app.js", JS),
    asset!("app.css", CSS),
    asset!("favicon.svg", SVG),
    // The CAMEO codebook's names, from the events crate's table (one source of truth).
    asset!("cameo.tsv" = "../../events/data/cameo.tsv", TSV),
    asset!("vendor/leaflet-1.9.4/leaflet.js", JS),
    asset!("vendor/leaflet-1.9.4/leaflet.css", CSS),
    asset!("vendor/leaflet-1.9.4/images/layers.png", PNG),
    asset!("vendor/leaflet-1.9.4/images/layers-2x.png", PNG),
    asset!("vendor/leaflet-1.9.4/images/marker-icon.png", PNG),
    asset!("vendor/leaflet-1.9.4/images/marker-icon-2x.png", PNG),
    asset!("vendor/leaflet-1.9.4/images/marker-shadow.png", PNG),
    asset!("vendor/cytoscape-3.35.0/cytoscape.min.js", JS),
    asset!("vendor/vis-timeline-8.5.4/vis-timeline-graph2d.min.js", JS),
    asset!("vendor/world-atlas-2.0.2/countries-110m.json", JSON),
    asset!("vendor/topojson-client-3.1.0/topojson-client.min.js", JS),
];

/// The page's Content-Security-Policy: scripts, styles, data and images only from this
/// server, so the browser itself refuses anything from the internet (no tiles, no CDNs).
/// Inline styles are allowed because Leaflet and vis-timeline position elements with them.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                   frame-ancestors 'none'";

/// The embedded file at `path` (relative to `/ui/`), if any.
pub fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

/// FNV-1a of each asset, as a quoted ETag, computed once on first use.
fn etag(i: usize) -> Option<&'static str> {
    static TAGS: OnceLock<Vec<String>> = OnceLock::new();
    let tags = TAGS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                let mut h: u64 = 0xcbf2_9ce4_8422_2325;
                for b in a.bytes {
                    h ^= u64::from(*b);
                    h = h.wrapping_mul(0x0100_0000_01b3);
                }
                format!("\"{h:016x}\"")
            })
            .collect()
    });
    tags.get(i).map(String::as_str)
}

/// The response for the asset at `path`: the bytes with their media type and caching
/// headers, 304 when the client already holds this version, 404 when there is no such file.
/// Vendored files live in folders named for their version, so they are cached for a year;
/// our own files are revalidated each time (by ETag), so a new binary's UI shows at once.
pub fn respond(path: &str, headers: &HeaderMap) -> Response {
    let Some(i) = ASSETS.iter().position(|a| a.path == path) else {
        return (StatusCode::NOT_FOUND, "no such file in the UI\n").into_response();
    };
    let asset = &ASSETS[i];
    let tag = etag(i).unwrap_or("\"0\"");
    let cache = if path.starts_with("vendor/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut out = HeaderMap::new();
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(tag) {
        out.insert(header::ETAG, v);
    }
    if asset.mime == HTML {
        out.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if fresh {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    (StatusCode::OK, out, asset.bytes).into_response()
}

/// `GET /`: the single-page app.
pub async fn index(headers: HeaderMap) -> Response {
    respond("index.html", &headers)
}

/// `GET /ui/{*path}`: an embedded file.
pub async fn file(Path(path): Path<String>, headers: HeaderMap) -> Response {
    respond(&path, &headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_is_listed_once_and_index_links_only_embedded_files() {
        let mut paths: Vec<&str> = ASSETS.iter().map(|a| a.path).collect();
        paths.sort_unstable();
        let n = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), n, "duplicate asset path");
        let index = find("index.html").map(|a| String::from_utf8_lossy(a.bytes).into_owned());
        let index = index.expect("index.html is embedded");
        for part in index.split("\"/ui/").skip(1) {
            let path = part.split('"').next().unwrap_or_default();
            assert!(
                find(path).is_some(),
                "index.html links {path}, which is not embedded"
            );
        }
        let app = find("app.js").map(|a| String::from_utf8_lossy(a.bytes).into_owned());
        for part in app.expect("app.js is embedded").split("'/ui/").skip(1) {
            let path = part.split('\'').next().unwrap_or_default();
            assert!(find(path).is_some(), "app.js loads {path}, which is not embedded");
        }
    }
}
