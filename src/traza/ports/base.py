"""The base tables of a targeting run, built in any engine from the stored tables: the current
version of every manifest, flattened so rules stay short. Rules read only these."""

from __future__ import annotations

# Tables the Spark engine needs exported to Parquet (besides the registry's).
SOURCES = ("port_vessel_calls", "port_manifests", "port_documents", "port_goods_items", "port_equipment",
           "port_seals", "port_document_containers", "port_events", "port_inspections", "port_watchlist")

BASE: list[tuple[str, str]] = [
    # Current version of each manifest, the one transmitted last (the view port_manifests_current,
    # rewritten so Spark reads the raw table).
    ("p_man", """
        SELECT manifest_id, call_id, manifest_number, version, transmitted_at, first_transmitted_at FROM (
            SELECT m.manifest_id, m.call_id, m.manifest_number, m.version, m.transmitted_at,
                   min(m.transmitted_at) OVER (PARTITION BY m.call_id, m.manifest_number) AS first_transmitted_at,
                   row_number() OVER (PARTITION BY m.call_id, m.manifest_number
                                      ORDER BY m.transmitted_at DESC NULLS LAST, m.version DESC) AS rn
            FROM port_manifests m) ranked
        WHERE rn = 1"""),
    ("p_calls", """
        SELECT call_id, port, direction, vessel_name, voyage, arrival, departure,
               coalesce(departure, arrival) AS call_date FROM port_vessel_calls"""),
    ("p_docs", """
        SELECT d.*, m.call_id, m.transmitted_at, m.first_transmitted_at, m.version, c.port, c.direction, c.arrival, c.departure, c.call_date,
               upper(coalesce(d.shipper_id, d.shipper_name, '')) AS shipper_key
        FROM port_documents d JOIN p_man m ON m.manifest_id = d.manifest_id
        JOIN p_calls c ON c.call_id = m.call_id"""),
    ("p_cont", """
        SELECT e.*, m.call_id, c.port, c.direction, c.arrival, c.departure, c.call_date
        FROM port_equipment e JOIN p_man m ON m.manifest_id = e.manifest_id
        JOIN p_calls c ON c.call_id = m.call_id"""),
    # One row per container and transport document in it: what most rules read.
    ("p_line", """
        SELECT k.call_id, k.container_no, k.reefer, k.vgm_kg, k.tare_kg, k.size_type, k.port, k.direction,
               k.call_date, d.bl_number, d.bl_type, d.master_bl, d.shipper_name, d.shipper_id, d.shipper_key,
               d.consignee_name, d.consignee_id, d.notify_name, d.notify_id, d.port_original_loading,
               d.port_loading, d.port_transshipment, d.port_discharge, d.port_final_destination,
               upper(coalesce(d.description, '')) AS description, d.hs_codes, d.un_numbers, d.gross_kg,
               d.packages, d.transmitted_at, d.first_transmitted_at, d.manifest_id
        FROM p_cont k
        JOIN port_document_containers l ON l.manifest_id = k.manifest_id AND l.container_no = k.container_no
        JOIN p_docs d ON d.manifest_id = l.manifest_id AND d.bl_number = l.bl_number"""),
    # Goods items with their consignment's parties: the chemical (import) rules read these.
    ("p_goods", """
        SELECT g.container_no, g.hs_code, g.un_number, g.gross_kg, upper(coalesce(g.description, '')) AS description,
               upper(coalesce(g.marks, '')) AS marks, d.call_id, d.call_date, d.direction, d.bl_number,
               d.consignee_id, d.consignee_name, h.chemical,
               -- a "to order" bill names the real receiver as the notify party
               CASE WHEN d.consignee_id IS NULL AND (upper(coalesce(d.consignee_name, '')) LIKE '%ORDER%'
                                                     OR upper(coalesce(d.consignee_name, '')) LIKE '%ORDEN%')
                    THEN d.notify_id ELSE d.consignee_id END AS party_id
        FROM port_goods_items g JOIN p_docs d ON d.manifest_id = g.manifest_id AND d.bl_number = g.bl_number
        LEFT JOIN ref_hs h ON h.hs6 = g.hs_code
        WHERE g.container_no IS NOT NULL"""),
    # The cover-load category of each line (first keyword found).
    ("p_cat", """
        SELECT call_id, container_no, shipper_key, call_date, min(category) AS category
        FROM (SELECT l.call_id, l.container_no, l.shipper_key, l.call_date, r.category
              FROM p_line l JOIN ref_cover r ON l.description LIKE '%' || r.keyword || '%') x
        GROUP BY call_id, container_no, shipper_key, call_date"""),
    # Each shipper's first call and number of calls (export history).
    ("p_shipper", """
        SELECT shipper_key, min(call_date) AS first_date, count(DISTINCT call_id) AS calls
        FROM p_docs WHERE shipper_key <> '' GROUP BY shipper_key"""),
    ("p_seals", """
        SELECT m.call_id, s.container_no, s.seal_number, s.sealing_party
        FROM port_seals s JOIN p_man m ON m.manifest_id = s.manifest_id"""),
    # The first day traza has manifests for: "first shipment" needs history before it.
    ("p_span", "SELECT min(call_date) AS first_day FROM p_calls"),
    ("p_ops", "SELECT ruc, name, sector, registered_on, status FROM operators"),
    ("p_auth", "SELECT ruc, chemical, activities, annual_quota_kg, valid_from, valid_to FROM authorisations"),
    ("p_events", "SELECT call_id, container_no, event_type, occurred_at, location, detail FROM port_events"),
    ("p_watch", "SELECT kind, value FROM port_watchlist"),
]
