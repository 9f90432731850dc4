from analysis.qdrant.dataset import POST_COLLECTIONS, Dataset


def test_sizes_follow_the_post_and_sum_exactly():
    ds = Dataset(records=40_000, dim=4)
    sizes = ds.sizes()
    assert list(sizes) == list(POST_COLLECTIONS) and sum(sizes.values()) == 40_000
    assert max(sizes, key=sizes.get) == "erp-shop-qa"


def test_deterministic_and_regenerable():
    ds = Dataset(records=1000, dim=16, text_chars=80)
    first = [r for b in ds.batches("erp-shop-qa", 100) for r in b]
    again = [
        r
        for b in Dataset(records=1000, dim=16, text_chars=80).batches("erp-shop-qa", 37)
        for r in b
    ]
    assert first == again
    assert ds.record("erp-shop-qa", 300) == first[300]
    assert len({r.id for r in first}) == len(first)
    p = first[0].payload
    assert {"id", "tags", "payload", "document_id", "partition"} <= set(p)
    assert {"file", "text"} <= set(p["payload"]) and len(p["payload"]["text"]) == 80
    assert Dataset(records=1000, dim=16, seed=7).record("erp-shop-qa", 0) != first[0]
