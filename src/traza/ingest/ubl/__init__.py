"""UBL e-documents (SUNAT invoices and remission guides): hardened parsing (parse), pure
extraction (extract), line classification (classify), batches of documents as staged lines
(batch) and their loading as movements inside ``traza load`` (stage)."""
