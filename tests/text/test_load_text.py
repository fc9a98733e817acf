"""load_text: both file formats, class names, and one clear error per kind of bad file."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from mlplab.data import TextFileError, encode_labels, load_text


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_tsv_with_string_labels_sorted_as_class_names(tmp_path):
    p = write(tmp_path / "a.tsv", "好看的电影\tpos\n无聊\tneg\n还行 吧\tpos\n")
    texts, y, names = load_text(p)
    assert texts == ["好看的电影", "无聊", "还行 吧"]
    assert names == ["neg", "pos"]
    assert y.dtype == np.int64 and y.tolist() == [1, 0, 1]


def test_tsv_splits_on_the_last_tab_and_skips_blank_lines(tmp_path):
    p = write(tmp_path / "a.tsv", "a\tb\t1\n\nc\t0\n\n")
    texts, y, names = load_text(p)
    assert texts == ["a\tb", "c"] and y.tolist() == [1, 0] and names == ["0", "1"]


def test_integer_labels_index_class_txt_beside_the_file(tmp_path):
    (tmp_path / "class.txt").write_text("finance\nrealty\nstocks", encoding="utf-8")
    p = write(tmp_path / "train.txt", "x\t2\ny\t0\n")
    texts, y, names = load_text(p)
    assert names == ["finance", "realty", "stocks"] and y.tolist() == [2, 0]


def test_numeric_labels_without_names_sort_numerically(tmp_path):
    p = write(tmp_path / "a.tsv", "x\t10\ny\t2\n")
    _, y, names = load_text(p)
    assert names == ["2", "10"] and y.tolist() == [1, 0]


@pytest.mark.parametrize("compress", [False, True])
def test_jsonl_plain_and_gzip(tmp_path, compress):
    rows = [{"id": 1, "label": "sci.space", "text": "Orbit\nburn"},
            {"id": 2, "label": "rec.autos", "text": "V8 engine"}]
    payload = "".join(json.dumps(r) + "\n" for r in rows).encode("utf-8")
    p = tmp_path / ("d.jsonl.gz" if compress else "d.jsonl")
    p.write_bytes(gzip.compress(payload) if compress else payload)
    texts, y, names = load_text(p)
    assert texts == ["Orbit\nburn", "V8 engine"]
    assert names == ["rec.autos", "sci.space"] and y.tolist() == [1, 0]


def test_jsonl_custom_fields_and_label_names_list(tmp_path):
    p = write(tmp_path / "d.jsonl", '{"body": "hi", "cat": "b"}\n{"body": "yo", "cat": "a"}\n')
    texts, y, names = load_text(p, text_field="body", label_field="cat", label_names=["b", "a"])
    assert texts == ["hi", "yo"] and y.tolist() == [0, 1] and names == ["b", "a"]


def test_empty_file(tmp_path):
    p = write(tmp_path / "empty.tsv", "")
    with pytest.raises(TextFileError, match="empty"):
        load_text(p)


def test_line_without_label_names_file_and_line(tmp_path):
    p = write(tmp_path / "bad.tsv", "ok\t1\nno label here\nx\t0\n")
    with pytest.raises(TextFileError, match=r"bad\.tsv, line 2: no label"):
        load_text(p)


def test_empty_label_after_tab(tmp_path):
    p = write(tmp_path / "bad.tsv", "ok\t1\ntext\t \n")
    with pytest.raises(TextFileError, match="line 2: no label"):
        load_text(p)


def test_gb18030_file_is_named(tmp_path):
    p = write(tmp_path / "gbk.tsv", "中华女子学院：本科层次仅1专业招男生\t3\n", encoding="gb18030")
    with pytest.raises(TextFileError, match=r"not UTF-8 \(looks like GB18030\)"):
        load_text(p)
    texts, y, _ = load_text(p, encoding="gb18030")  # the suggested fix works
    assert texts == ["中华女子学院：本科层次仅1专业招男生"] and y.tolist() == [0]


def test_utf16_file_is_named(tmp_path):
    p = write(tmp_path / "u16.tsv", "hello\t1\n", encoding="utf-16")
    with pytest.raises(TextFileError, match="looks like UTF-16"):
        load_text(p)


def test_jsonl_errors_name_the_line(tmp_path):
    p = write(tmp_path / "d.jsonl", '{"text": "a", "label": "x"}\n{"text": "b"}\n')
    with pytest.raises(TextFileError, match=r"line 2: no 'label' field"):
        load_text(p)
    p = write(tmp_path / "e.jsonl", '{"text": "a", "label": "x"}\nnot json\n')
    with pytest.raises(TextFileError, match="line 2: not valid JSON"):
        load_text(p)


def test_labels_unseen_at_training_time_are_listed(tmp_path):
    p = write(tmp_path / "test.tsv", "a\tpos\nb\tneutral\nc\tmixed\n")
    with pytest.raises(ValueError, match=r"labels not seen at training time: 'mixed', "
                                         r"'neutral'; the model knows 2 classes"):
        load_text(p, label_names=["neg", "pos"])
    with pytest.raises(ValueError, match=r"not seen at training time: '7'"):
        encode_labels(["1", "7"], ["a", "b", "c"])


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(ValueError, match="format: expected 'tsv' or 'jsonl'"):
        load_text(write(tmp_path / "a.tsv", "x\t1\n"), format="csv")
    with pytest.raises(FileNotFoundError, match="no such text file"):
        load_text(tmp_path / "missing.tsv")


def test_thucnews_train_matches_provenance(datasets_dir):
    texts, y, names = load_text(datasets_dir / "thucnews_titles" / "train.txt")
    assert len(texts) == 45000
    assert names[:3] == ["finance", "realty", "stocks"] and len(names) == 10
    # per-class counts stated in PROVENANCE.md
    assert np.bincount(y).tolist() == [4480, 4508, 4529, 4424, 4477, 4515, 4486, 4472, 4530,
                                       4579]
    assert texts[0] == "中华女子学院：本科层次仅1专业招男生"


def test_20newsgroups_test_matches_provenance(datasets_dir):
    texts, y, names = load_text(datasets_dir / "20newsgroups_bydate" / "test.jsonl.gz")
    assert len(texts) == 7532 and len(names) == 20 and names[0] == "alt.atheism"
    assert np.bincount(y).tolist() == [319, 389, 394, 392, 385, 395, 390, 396, 398, 397, 399,
                                       396, 393, 396, 394, 398, 364, 376, 310, 251]
    # CR characters inside 3 posts survive (the file is split on \n only)
    assert sum("\r" in t for t in texts) == 3
